# A confirmation asked as a yes-or-no question is answered by echoing it.
bot "fees" {
  languages = ["zh", "en"]
}

intent "refund" {
  examples = ["我要退学费", "申请退费", "I want a tuition refund", "refund my fees"]
}

response "confirm_refund" {
  zh = "确认一下：退费 ${slot.amount} 元，是否提交？"
  en = "A refund of ${slot.amount} yuan. Shall I submit it?"
}

dialog "refund" {
  trigger = [intent.refund]

  slot "amount" {
    type   = money
    prompt = { zh = "退多少钱？", en = "How much?" }
  }

  confirm {
    prompt = response.confirm_refund
  }

  outcome "done" {
    reply = { zh = "已提交。", en = "Submitted." }
  }
}
