intent "report_outage" {
  examples = [
    "I have a power cut",
    "my electricity is off",
    "no power in my house",
    "the lights went out and the whole street is dark",
    "my [gas](fuel) isn't working",
    "there's no [gas](fuel) supply",
    "power outage at my flat",
    "I want to report an outage",
    "the power has been off since this morning",
    "no electric since last night",
    "report a [gas](fuel) outage, account [AC12345678](account_number)",
    "my heating won't come on, no [gas](fuel)",
    "the [gas](fuel) stopped working and I can't cook",
    "[electricity](fuel) stopped working in the whole flat",
    "家里停电了",
    "我家没电了",
    "整栋楼都停电了",
    "我要报修停电",
    "燃气停了，做不了饭",
    "家里没有[天然气](fuel)了",
    "突然断电了怎么办",
    "小区停电了吗",
    "从昨晚开始一直没电",
    "[燃气](fuel)供应中断了",
    "报告停电，户号[AC12345678](account_number)",
    "电闸跳了还是没电",
  ]
}

intent "gas_emergency" {
  examples = [
    "I can smell gas",
    "there's a gas leak",
    "smell of gas in my kitchen",
    "I think gas is leaking",
    "gas leak emergency",
    "strong gas smell in the building",
    "我闻到煤气味",
    "家里燃气泄漏了",
    "好像漏气了，有很重的燃气味",
    "煤气泄露怎么办",
    "厨房有天然气的味道",
    "楼道里有一股煤气味",
  ]
}

intent "meter_reading" {
  examples = [
    "I want to submit a meter reading",
    "here is my meter reading",
    "give you my meter reading",
    "my [electricity](fuel) meter reads 04512",
    "submit a [gas](fuel) reading",
    "meter reading for account [AC12345678](account_number)",
    "can I send you my reading",
    "update my meter reading",
    "I read my meter [today](date), it says 12345",
    "enter a meter reading",
    "my [gas](fuel) meter says 2345 as of [yesterday](date)",
    "提交电表读数",
    "我要报抄表读数",
    "我的[电表](fuel)读数是04512",
    "[燃气](fuel)表读数怎么提交",
    "自己抄表，报一下读数",
    "今天的读数是12345",
    "上传一下气表读数",
    "户号[AC12345678](account_number)，电表读数3456",
    "我想报一下表",
    "帮我登记读数",
    "抄表数据提交",
  ]
}

intent "dispute_bill" {
  examples = [
    "my bill is wrong",
    "I want to dispute my bill",
    "I've been overcharged",
    "this bill is way too high",
    "my [October](date_range) bill is wrong",
    "I was charged [¥500](money) too much",
    "the bill for [last month](date_range) is incorrect",
    "why is my bill so expensive",
    "I disagree with my latest bill",
    "dispute the [November](date_range) bill, account [AC12345678](account_number)",
    "you billed me for gas I didn't use",
    "账单不对",
    "我要投诉账单",
    "电费怎么这么高",
    "[上个月](date_range)的账单算错了",
    "多收了我[200块](money)",
    "[10月](date_range)的电费账单有问题",
    "我对账单有异议",
    "这个月电费贵得离谱",
    "账单金额不对，多扣了钱",
    "燃气费收多了",
    "户号[AC12345678](account_number)，[上个月](date_range)账单多收了[300元](money)",
  ]
}

intent "payment_plan" {
  examples = [
    "I need a payment plan",
    "can I pay my bill in instalments",
    "I can't afford to pay it all at once",
    "set up a payment plan",
    "can I spread the cost",
    "pay off [¥1,200](money) over 6 months",
    "I owe [500 yuan](money), can I pay it monthly",
    "I'm struggling to pay my bill",
    "payment arrangement please",
    "can I pay in installments",
    "I need more time to pay",
    "can I pay a little each month",
    "let me pay it off slowly",
    "我想分期付款",
    "能不能分期还电费",
    "欠费太多，一次付不起",
    "可以分几个月交吗",
    "办个还款计划",
    "[一千二](money)分6个月付",
    "我欠了[800元](money)，能分期吗",
    "最近手头紧，电费能慢慢交吗",
    "申请分期缴费",
    "电费能不能分期",
    "账户[AC12345678](account_number)申请分期",
  ]
}

intent "moving_home" {
  examples = [
    "I'm moving house",
    "I'm moving out",
    "moving home next month",
    "I'm moving to a new address",
    "we are moving out on [next Friday](date)",
    "I want to move my account to my new home",
    "close my account, I'm moving",
    "change of address",
    "I'm relocating",
    "moving out [Dec 15](date), new address is 8 Park Road",
    "我要搬家",
    "我搬家了",
    "[下周五](date)搬走",
    "我要搬到新地址",
    "搬家了怎么办理",
    "换地址",
    "[月底](date)搬家",
    "要搬走了，电费账户怎么处理",
    "新家地址要改一下",
    "搬家后要转户",
    "户号[AC12345678](account_number)，[12月15日](date)搬出",
  ]
}

intent "change_tariff" {
  examples = [
    "I want to change my tariff",
    "switch tariff",
    "change to a [fixed](tariff) tariff",
    "can I move to [green energy](tariff)",
    "what tariffs can I switch to",
    "I want a cheaper tariff",
    "switch me to [economy 7](tariff)",
    "change my plan",
    "upgrade my tariff",
    "do you have cheaper plans",
    "what other plans do you have",
    "change tariff on account [AC12345678](account_number)",
    "我想换套餐",
    "换电价方案",
    "改成[固定价格](tariff)",
    "我要换成[峰谷电价](tariff)",
    "换个便宜的套餐",
    "能换[绿电](tariff)吗",
    "更改电价套餐",
    "我想改套餐",
    "户号[AC12345678](account_number)换[固定](tariff)套餐",
    "切换计费方式",
  ]
}

intent "human" {
  examples = [
    "talk to a person",
    "I want a human",
    "agent please",
    "can I speak to someone",
    "real person please",
    "put me through to customer service",
    "speak to an advisor",
    "let me talk to a real human",
    "转人工",
    "人工客服",
    "我要找人工",
    "找个真人",
    "帮我转接客服",
    "我要和客服说话",
    "有没有人工",
    "接人工服务",
    "不想和机器人聊",
    "别让机器人回答了",
    "I don't want to talk to a bot",
  ]
}

intent "greet" {
  examples = ["hi", "hello", "hey there", "good morning", "hiya", "你好", "您好", "在吗", "哈喽", "早上好"]
}

intent "thanks" {
  examples = ["thanks", "thank you", "cheers", "thanks a lot", "great thanks", "谢谢", "多谢", "谢了", "好的谢谢", "感谢"]
}

intent "goodbye" {
  examples = ["bye", "goodbye", "that's all", "see you", "nothing else", "再见", "拜拜", "没事了", "就这样吧", "没别的了"]
}

intent "pay_methods" {
  examples = [
    "how can I pay my bill",
    "how do I pay",
    "what payment methods do you accept",
    "can I pay with alipay",
    "can I pay by direct debit",
    "do you take wechat pay",
    "set up direct debit",
    "ways to pay",
    "怎么交电费",
    "可以用支付宝交费吗",
    "能微信缴费吗",
    "支持哪些缴费方式",
    "怎么设置自动扣款",
    "在哪里交燃气费",
    "银行卡代扣怎么弄",
  ]
}

intent "read_meter_help" {
  examples = [
    "how do I read my meter",
    "where do I find the meter reading",
    "which numbers on the meter do I give you",
    "I don't know how to read the meter",
    "what do the red numbers on my meter mean",
    "do I need to read a smart meter",
    "怎么看电表读数",
    "电表读数在哪里看",
    "气表上哪个数字是读数",
    "智能电表需要自己抄表吗",
    "电表上的红色数字要不要读",
    "不会看电表",
    "读数怎么看",
    "电表怎么看",
    "看不懂气表上的数字",
    "怎么读表",
  ]
}

intent "bill_dates" {
  examples = [
    "when is my bill due",
    "when do I get my bill",
    "when is my bill issued",
    "what date is payment due",
    "when do you send the bill",
    "what's the deadline to pay",
    "每月几号出账单",
    "账单什么时候出",
    "电费什么时候交",
    "缴费截止日期是哪天",
    "几号之前要交钱",
    "账单几号寄",
  ]
}
