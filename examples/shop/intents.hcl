# Intents: what a customer wants. Mark entities inside an example as [text](entity).

intent "greet" {
  examples = [
    "hi", "hello", "hey there", "good morning", "hi, anyone there?",
    "你好", "您好", "在吗", "早上好",
  ]
}

intent "goodbye" {
  examples = [
    "bye", "goodbye", "that's all, thanks", "see you", "thanks, bye",
    "再见", "拜拜", "没事了，谢谢",
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
  ]
}

intent "leave_message" {
  examples = [
    "I want to leave a message",
    "can someone call me back",
    "please have someone contact me",
    "留言",
    "请回电话给我",
  ]
}
