package nlu

import "strings"

// shopData mirrors examples/shop: intents in English and Chinese, an order id
// pattern and two list entities. Entity annotations use the [text](entity)
// markup of the bot language.
func shopData() TrainingData {
	intents := []struct {
		name     string
		examples []string
	}{
		{"greet", []string{"hi", "hello", "hey there", "good morning", "hi, anyone there?", "你好", "您好", "在吗", "早上好"}},
		{"goodbye", []string{"bye", "goodbye", "that's all, thanks", "see you", "thanks, bye", "再见", "拜拜", "没事了，谢谢"}},
		{"track_order", []string{"where is my order", "track my order", "where is order [AB123456](order_id)", "has my package shipped yet",
			"when will my order arrive", "what's the status of my order [CD654321](order_id)", "my parcel hasn't arrived",
			"我的订单到哪了", "查一下订单 [AB123456](order_id)", "快递什么时候到", "查询物流"}},
		{"refund", []string{"I want a refund", "refund order [AB123456](order_id)", "I'd like my money back",
			"can I get a refund for my [laptop](product)", "my [headphones](product) arrived [broken](refund_reason), I want a refund",
			"return and refund please", "please refund [CD654321](order_id), it's the [wrong item](refund_reason)",
			"我要退款", "申请退款", "订单 [AB123456](order_id) 退款", "东西[坏了](refund_reason)，我要退钱"}},
		{"change_address", []string{"change my delivery address", "I need to update the shipping address",
			"can you send order [AB123456](order_id) to a different address", "wrong address on my order",
			"I moved, please change the address", "修改收货地址", "改一下地址", "订单 [AB123456](order_id) 地址写错了"}},
		{"return_policy", []string{"what's your return policy", "how many days do I have to return something", "can I return an item",
			"do you accept returns", "how do returns work", "退货政策是什么", "可以退货吗", "几天内可以退货"}},
		{"human", []string{"talk to a human", "I want to speak to a person", "connect me to an agent", "real person please",
			"customer service representative", "转人工", "人工客服", "我要找真人"}},
		{"leave_message", []string{"I want to leave a message", "can someone call me back", "please have someone contact me", "留言", "请回电话给我"}},
	}
	var td TrainingData
	for _, in := range intents {
		id := IntentData{Name: in.name}
		for _, ex := range in.examples {
			id.Examples = append(id.Examples, parseMarkup(ex))
		}
		td.Intents = append(td.Intents, id)
	}
	td.Entities = []EntityData{
		{Name: "order_id", Pattern: "[A-Z]{2}[0-9]{6}", IgnoreCase: true},
		{Name: "product", Values: []EntityValueData{
			{Canonical: "laptop", Synonyms: []string{"notebook", "macbook", "笔记本", "笔记本电脑"}},
			{Canonical: "phone", Synonyms: []string{"mobile", "cell phone", "smartphone", "手机"}},
			{Canonical: "headphones", Synonyms: []string{"earphones", "earbuds", "headset", "耳机"}},
			{Canonical: "tablet", Synonyms: []string{"ipad", "平板", "平板电脑"}},
		}},
		{Name: "refund_reason", Values: []EntityValueData{
			{Canonical: "damaged", Synonyms: []string{"broken", "arrived broken", "cracked", "damaged", "坏了", "损坏", "破损"}},
			{Canonical: "wrong_item", Synonyms: []string{"wrong item", "wrong product", "not what i ordered", "发错", "发错货"}},
			{Canonical: "changed_mind", Synonyms: []string{"changed my mind", "don't want it", "no longer need", "不想要了", "不要了"}},
			{Canonical: "late", Synonyms: []string{"too late", "arrived late", "never arrived", "太慢", "没收到"}},
		}},
	}
	return td
}

// parseMarkup turns "refund [AB123456](order_id)" into text and annotations.
func parseMarkup(s string) ExampleData {
	var ex ExampleData
	var b strings.Builder
	for {
		open := strings.IndexByte(s, '[')
		mid := strings.Index(s, "](")
		if open < 0 || mid < open {
			break
		}
		end := strings.IndexByte(s[mid:], ')')
		if end < 0 {
			break
		}
		b.WriteString(s[:open])
		start := b.Len()
		b.WriteString(s[open+1 : mid])
		ex.Annotations = append(ex.Annotations, AnnotationData{Entity: s[mid+2 : mid+end], Start: start, End: b.Len()})
		s = s[mid+end+1:]
	}
	b.WriteString(s)
	ex.Text = b.String()
	return ex
}
