# Intents: what a customer wants. Mark entities inside an example as [text](entity).

intent "greet" {
  examples = [
    "hi", "hello", "hey there", "good morning", "hi, anyone there?",
    "你好", "您好", "在吗", "早上好",
    "good afternoon", "good evening", "hi there", "hello!",
    "你好啊", "哈喽", "嗨", "下午好",
  ]
}

intent "goodbye" {
  examples = [
    "bye", "goodbye", "that's all, thanks", "see you", "thanks, bye",
    "再见", "拜拜", "没事了，谢谢",
    "thank you, goodbye", "that's it for now", "ok bye", "have a nice day",
    "谢谢，再见", "好的，拜拜", "没有别的问题了",
  ]
}

intent "track_order" {
  examples = [
    "where is my order",
    "track my order",
    "where is order [AB123456](order_id)",
    "has my package shipped yet",
    "when will my order arrive",
    "what's the status of my order [CD654321](order_id)",
    "my parcel hasn't arrived",
    "我的订单到哪了",
    "查一下订单 [AB123456](order_id)",
    "快递什么时候到",
    "查询物流",
    "can you check on my delivery",
    "I still haven't received my package",
    "where's my stuff",
    "is my order on the way",
    "when will my package be delivered",
    "tracking number for order [EF111111](order_id)",
    "order [JK500000](order_id) status please",
    "did you ship my order yet",
    "the courier hasn't delivered my parcel",
    "我的包裹怎么还没到",
    "物流信息查一下",
    "订单 [CD654321](order_id) 发货了吗",
    "还没发货吗",
    "我买的东西什么时候送到",
    "帮我看下快递到哪了",
    "[EF111111](order_id) 到哪了",
    "send me the tracking link",
    "please track [CD654321](order_id) for me",
    "我的订单现在是什么状态",
    "我的单子发货了没",
    "包裹几天能送到",
    "快递几天能到",
  ]
}

intent "refund" {
  examples = [
    "I want a refund",
    "refund order [AB123456](order_id)",
    "I'd like my money back",
    "can I get a refund for my [laptop](product)",
    "my [headphones](product) arrived [broken](refund_reason), I want a refund",
    "return and refund please",
    "please refund [CD654321](order_id), it's the [wrong item](refund_reason)",
    "我要退款",
    "申请退款",
    "订单 [AB123456](order_id) 退款",
    "东西[坏了](refund_reason)，我要退钱",
    "I want to return this and get my money back",
    "how do I get a refund",
    "please give me a refund for order [GH500000](order_id)",
    "I'd like to be refunded",
    "can I have a refund, I [don't want it](refund_reason) any more",
    "money back please",
    "怎么退款",
    "我要退货退款",
    "订单 [CD654321](order_id) 申请退款",
    "能把钱退给我吗",
    "[不想要了](refund_reason)，申请退款",
    "reimbursement for a faulty item",
    "订单可以申请退款吗",
  ]
}

intent "change_address" {
  examples = [
    "change my delivery address",
    "I need to update the shipping address",
    "can you send order [AB123456](order_id) to a different address",
    "wrong address on my order",
    "I moved, please change the address",
    "修改收货地址",
    "改一下地址",
    "订单 [AB123456](order_id) 地址写错了",
    "please deliver my order to another address",
    "can I change where my package is going",
    "the delivery address is wrong",
    "update my address for order [CD654321](order_id)",
    "send it to my work address instead",
    "I gave you my old address by mistake",
    "收货地址写错了",
    "能换个地址送吗",
    "帮我把地址改成公司地址",
    "我要修改配送地址",
    "订单 [GH500000](order_id) 改地址",
    "ship my order to a different place",
  ]
}

intent "return_policy" {
  examples = [
    "what's your return policy",
    "how many days do I have to return something",
    "can I return an item",
    "do you accept returns",
    "how do returns work",
    "退货政策是什么",
    "可以退货吗",
    "几天内可以退货",
    "can I send back something I don't like",
    "are returns free",
    "can I return it if I opened the box",
    "退货规则是什么",
    "多久之内可以退货",
    "拆封了还能退吗",
    "退货要运费吗",
    "签收以后多少天可以退",
    "退货有什么规定",
    "退换货有哪些要求",
    "退货有什么条件",
  ]
}

intent "human" {
  examples = [
    "talk to a human",
    "I want to speak to a person",
    "connect me to an agent",
    "real person please",
    "customer service representative",
    "转人工",
    "人工客服",
    "我要找真人",
    "let me talk to someone",
    "I need a real person",
    "can I speak to your staff",
    "transfer me to customer service",
    "is there a human I can talk to",
    "我要人工服务",
    "找个真人客服",
    "转接人工",
    "我不要机器人",
    "想跟真人客服聊",
    "让客服跟我说话",
  ]
}

intent "leave_message" {
  examples = [
    "I want to leave a message",
    "can someone call me back",
    "please have someone contact me",
    "留言",
    "请回电话给我",
    "could someone phone me",
    "I'd like a call back",
    "please call me later",
    "can I leave a note for the team",
    "请给我打电话",
    "我要留言",
    "能不能回个电话",
    "请客服联系我",
    "ring me back please",
    "给你们留个言",
  ]
}
