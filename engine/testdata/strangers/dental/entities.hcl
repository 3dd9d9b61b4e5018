entity "branch" {
  description = "诊所分店"
  values = {
    jingan = ["静安", "静安店", "静安寺", "jingan", "jing'an"]
    xuhui  = ["徐汇", "徐汇店", "徐家汇", "xuhui"]
    pudong = ["浦东", "浦东店", "陆家嘴", "pudong"]
  }
  labels = {
    jingan = { en = "Jing'an branch", zh = "静安店" }
    xuhui  = { en = "Xuhui branch", zh = "徐汇店" }
    pudong = { en = "Pudong branch", zh = "浦东店" }
  }
}

entity "dentist" {
  values = {
    dr_wang = ["王医生", "王大夫", "dr wang", "doctor wang"]
    dr_li   = ["李医生", "李大夫", "dr li", "doctor li"]
    dr_chen = ["陈医生", "陈大夫", "dr chen", "doctor chen"]
    any     = ["随便", "都可以", "都行", "无所谓", "any dentist", "anyone", "whoever"]
  }
  labels = {
    dr_wang = { en = "Dr Wang", zh = "王医生" }
    dr_li   = { en = "Dr Li", zh = "李医生" }
    dr_chen = { en = "Dr Chen", zh = "陈医生" }
    any     = { en = "the first available dentist", zh = "最早有空的医生" }
  }
}

entity "treatment" {
  values = {
    cleaning     = ["洗牙", "洁牙", "洗个牙", "cleaning", "clean", "scale and polish", "scaling"]
    checkup      = ["检查", "看看牙", "checkup", "check-up", "check up"]
    filling      = ["补牙", "蛀牙", "龋齿", "filling", "fillings", "cavity", "cavities"]
    extraction   = ["拔牙", "拔智齿", "智齿", "extraction", "wisdom tooth", "wisdom teeth", "pull a tooth"]
    root_canal   = ["根管", "根管治疗", "root canal"]
    whitening    = ["美白", "牙齿美白", "whitening", "whiten"]
    orthodontics = ["矫正", "牙齿矫正", "牙套", "隐适美", "braces", "invisalign", "orthodontics"]
    implant      = ["种牙", "种植牙", "implant", "implants"]
  }
  labels = {
    cleaning     = { en = "cleaning", zh = "洗牙" }
    checkup      = { en = "check-up", zh = "口腔检查" }
    filling      = { en = "filling", zh = "补牙" }
    extraction   = { en = "extraction", zh = "拔牙" }
    root_canal   = { en = "root canal", zh = "根管治疗" }
    whitening    = { en = "whitening", zh = "牙齿美白" }
    orthodontics = { en = "orthodontics", zh = "牙齿矫正" }
    implant      = { en = "implant", zh = "种植牙" }
  }
}

entity "booking_ref" {
  description = "预约号：DC加6位数字"
  pattern     = "DC[0-9]{6}"
  ignore_case = true
}

entity "time" {
  description = "A time of day, as written"
  pattern     = "([01]?[0-9]|2[0-3]):[0-5][0-9]( ?[ap]m)?|(1[0-2]|[1-9]) ?[ap]m|(凌晨|早上|上午|中午|下午|傍晚|晚上)?([0-9]{1,2}|十[一二]?|[一二两三四五六七八九])点(半|一刻|三刻|[0-5][0-9]分?|[0-9]分|[一二三四五]?十[一二三四五六七八九]?分?)?"
  ignore_case = true
}
