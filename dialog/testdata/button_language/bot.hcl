# A Chinese customer presses buttons whose payloads are English words.
bot "buttons" {
  languages = ["zh", "en"]
}

intent "claim" {
  examples = ["我要索赔", "申请理赔", "I want compensation", "file a claim", "my parcel is lost"]
}

entity "claim_reason" {
  values = {
    lost    = ["lost", "丢了"]
    damaged = ["damaged", "破损"]
  }
  labels = {
    lost    = { en = "Lost", zh = "丢失" }
    damaged = { en = "Damaged", zh = "破损" }
  }
}

response "ask_reason" {
  zh            = "包裹丢失还是破损？"
  en            = "Was the parcel lost or damaged?"
  value_buttons = claim_reason
}

response "confirm_claim" {
  zh = "确认提交理赔？"
  en = "Submit the claim?"

  button "yes" {
    zh = "确认"
    en = "Yes"
  }
  button "no" {
    zh = "取消"
    en = "No"
  }
}

dialog "claim" {
  trigger = [intent.claim]

  slot "reason" {
    type   = claim_reason
    prompt = response.ask_reason
  }

  confirm {
    prompt = response.confirm_claim
  }

  outcome "done" {
    reply = { zh = "已提交。", en = "Submitted." }
  }
}
