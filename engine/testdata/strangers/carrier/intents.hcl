intent "change_plan" {
  examples = [
    "I want to change my plan",
    "switch to the [unlimited](plan) plan",
    "can I upgrade my plan",
    "change plan pls",
    "downgrade to a cheaper plan",
    "i'd like to move to [basic](plan)",
    "my plan is too expensive, can i change it",
    "how do i switch plans",
    "upgrade me to [unlimited](plan)",
    "chnage my tariff",
    "我想换套餐",
    "换个套餐",
    "改成[无限流量](plan)套餐",
    "套餐太贵了想换便宜点的",
    "怎么升级套餐",
    "帮我换成[畅享套餐](plan)",
    "我要降档套餐",
    "能不能改套餐啊",
    "办理套餐变更",
    "I want to move to [premium](plan)",
    "I'd like a different plan",
    "我想换个[家庭套餐](plan)",
  ]
}

intent "top_up" {
  examples = [
    "top up my data",
    "I need more data",
    "buy a data pack",
    "add [50 yuan](money) of data",
    "top up [100 yuan](money) data for [13812345678](phone)",
    "ran out of data",
    "data top up pls",
    "can u add data to my number",
    "recharge data [30 yuan](money)",
    "my data is finished, need more",
    "充流量",
    "我要充[50块](money)流量",
    "流量用完了",
    "给[13912345678](phone)充[100元](money)流量",
    "买个流量包",
    "流量不够用了 加点",
    "帮我加[30块](money)的流量",
    "流量充值",
    "I want to top up",
    "I'd like to buy more data",
    "can you top up my phone",
    "我想充流量",
    "我要买流量",
  ]
}

intent "sim_replacement" {
  examples = [
    "I lost my SIM card",
    "my sim is [damaged](sim_reason), need a new one",
    "replace my sim",
    "new sim card please",
    "phone was [stolen](sim_reason), need a replacement sim",
    "sim card not working, [broken](sim_reason)",
    "i need a sim replacment",
    "my sim got [lost](sim_reason)",
    "补卡",
    "我的SIM卡[丢了](sim_reason)",
    "手机卡[坏了](sim_reason)要换一张",
    "换卡",
    "我要补办手机卡",
    "电话卡[丢了](sim_reason)怎么办",
    "卡[坏了](sim_reason)读不出来",
    "补一张新卡",
    "phone got stolen, block my number",
    "someone took my phone, need a new sim",
    "I need to suspend my line, my phone is gone",
    "my sim doesnt work anymore",
    "手机被偷了，帮我挂失",
    "要挂失手机号",
    "手机不见了，号码先停掉",
    "I want a new SIM card",
    "I'd like to replace my sim",
    "我想补卡",
  ]
}

intent "roaming" {
  examples = [
    "turn on roaming",
    "activate international roaming",
    "I'm going to [Japan](country) next week, need roaming",
    "roaming for [Thailand](country) [from Dec 20 to Dec 27](date_range)",
    "enable roaming pls",
    "i travel abroad, will my phone work",
    "set up roaming for my trip to the [UK](country)",
    "need data overseas",
    "开通漫游",
    "开国际漫游",
    "我要去[日本](country)，帮我开漫游",
    "[12月20日到27日](date_range)去[泰国](country)，开通漫游",
    "出国了手机能用吗",
    "办理国际漫游",
    "去[英国](country)要开漫游吗",
    "开下漫游",
    "I'll be in [France](country) [from 1 to 10 January](date_range), need roaming",
    "off to the [USA](country) for a business trip, does my phone work there",
    "travelling to [Korea](country) [next week](date_range)",
    "going abroad [next month](date_range), turn on international roaming",
    "[下个月](date_range)出差去[美国](country)，手机要开什么",
    "[下周](date_range)去[法国](country)玩，怎么开通漫游",
    "要出国，手机能不能用",
    "I want to turn on roaming",
    "I'd like roaming for my trip",
    "我想开通漫游",
  ]
}

intent "bill_dispute" {
  examples = [
    "my bill is wrong",
    "I was overcharged",
    "dispute a charge on my bill",
    "why is my bill so high",
    "you charged me [80 yuan](money) for nothing",
    "there's a charge i don't recognise",
    "i want a refund for an extra charge of [30 yuan](money)",
    "bill too high this month, wrong charge",
    "overcharged by [250 yuan](money)",
    "账单不对",
    "多扣了我[30块](money)",
    "话费扣错了",
    "这个月话费怎么这么高",
    "乱扣费",
    "我要投诉扣费，多收了[300元](money)",
    "有一笔费用我没用过",
    "账单有问题要退钱",
    "I want to dispute my bill",
    "I'd like to complain about a charge",
    "我想投诉乱扣费",
  ]
}

intent "outage" {
  examples = [
    "no signal",
    "network is down",
    "no service in [Chaoyang](area)",
    "is there an outage in my area",
    "can't make calls, no bars",
    "internet not working on my phone",
    "mobile data not working since this morning",
    "signal is terrible in [Haidian](area)",
    "没信号",
    "网络断了",
    "[朝阳区](area)没有信号",
    "手机上不了网",
    "打不了电话",
    "信号很差",
    "是不是网络故障了",
    "我这边断网了",
    "I want to report a network problem",
    "I'd like to report no signal",
    "我想报障",
  ]
}

intent "human" {
  examples = [
    "talk to a person",
    "agent please",
    "I want a human",
    "real person pls",
    "can I speak to someone",
    "customer service rep",
    "转人工",
    "人工客服",
    "我要找真人",
    "找客服",
    "人工",
    "I need to speak with an agent",
    "put me through to someone",
    "connect me to customer service",
    "human please",
    "let me talk to a human",
    "我要人工服务",
    "帮我转接客服",
    "叫个真人来",
  ]
}

intent "greet" {
  examples = ["hi", "hello", "hey there", "good morning", "你好", "您好", "在吗", "哈喽"]
}

intent "goodbye" {
  examples = ["bye", "thanks, bye", "that's all", "goodbye", "再见", "拜拜", "没事了谢谢", "好的谢谢再见"]
}

intent "roaming_prices" {
  examples = [
    "how much does roaming cost",
    "roaming prices",
    "what are the roaming rates in [Japan](country)",
    "is roaming expensive",
    "roaming charges per day",
    "漫游资费",
    "漫游怎么收费",
    "在[日本](country)漫游多少钱",
    "漫游一天多少钱",
    "国际漫游贵不贵",
  ]
}

intent "check_bill" {
  examples = [
    "how do I check my bill",
    "what's my phone bill this month",
    "how much do I owe",
    "check my balance",
    "where can i see my bill",
    "how to pay my bill",
    "my account balance pls",
    "when is my bill due",
    "怎么查话费",
    "查一下话费余额",
    "我欠多少钱",
    "这个月账单多少",
    "话费还剩多少",
    "在哪里看账单",
    "怎么交话费",
  ]
}

intent "check_data" {
  examples = [
    "how much data do I have left",
    "check my data usage",
    "remaining data",
    "data balance",
    "how many GB left this month",
    "how do i see my data usage",
    "is my data almost used up",
    "我还剩多少流量",
    "查流量",
    "流量用了多少",
    "剩余流量怎么查",
    "这个月流量还有多少",
    "查一下流量余额",
  ]
}
