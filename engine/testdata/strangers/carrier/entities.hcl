entity "plan" {
  values = {
    basic     = ["basic", "basic plan", "基础套餐", "基础"]
    unlimited = ["unlimited", "unlimited plan", "无限流量", "不限量"]
    family    = ["family", "family plan", "家庭套餐", "亲情套餐"]
    premium   = ["premium", "畅享套餐", "畅享"]
  }
  labels = {
    basic     = { en = "Basic (¥39/month)", zh = "基础套餐（39元/月）" }
    unlimited = { en = "Unlimited (¥129/month)", zh = "无限流量套餐（129元/月）" }
    family    = { en = "Family (¥199/month)", zh = "家庭套餐（199元/月）" }
    premium   = { en = "Premium (¥89/month)", zh = "畅享套餐（89元/月）" }
  }
}

entity "sim_reason" {
  values = {
    lost    = ["lost", "stolen", "stole", "missing", "丢了", "丢失", "被偷了", "找不到了"]
    damaged = ["damaged", "broken", "not working", "坏了", "损坏", "读不出来"]
  }
  labels = {
    lost    = { en = "Lost or stolen", zh = "丢失/被盗" }
    damaged = { en = "Damaged", zh = "损坏" }
  }
}

entity "country" {
  values = {
    japan    = ["japan", "日本"]
    thailand = ["thailand", "泰国"]
    uk       = ["uk", "united kingdom", "england", "britain", "英国"]
    usa      = ["usa", "us", "united states", "the states", "america", "美国"]
    korea    = ["korea", "south korea", "韩国"]
    france   = ["france", "法国"]
  }
  labels = {
    japan    = { en = "Japan", zh = "日本" }
    thailand = { en = "Thailand", zh = "泰国" }
    uk       = { en = "the UK", zh = "英国" }
    usa      = { en = "the USA", zh = "美国" }
    korea    = { en = "South Korea", zh = "韩国" }
    france   = { en = "France", zh = "法国" }
  }
}

entity "area" {
  values = {
    chaoyang  = ["chaoyang", "朝阳", "朝阳区"]
    haidian   = ["haidian", "海淀", "海淀区"]
    dongcheng = ["dongcheng", "东城", "东城区"]
    xicheng   = ["xicheng", "西城", "西城区"]
    pudong    = ["pudong", "浦东", "浦东新区"]
  }
  labels = {
    chaoyang  = { en = "Chaoyang", zh = "朝阳区" }
    haidian   = { en = "Haidian", zh = "海淀区" }
    dongcheng = { en = "Dongcheng", zh = "东城区" }
    xicheng   = { en = "Xicheng", zh = "西城区" }
    pudong    = { en = "Pudong", zh = "浦东新区" }
  }
}

entity "id_last6" {
  description = "The last six characters of a national ID number"
  pattern     = "(ID|身份证后六位|后六位) ?[0-9]{5}[0-9X]"
  ignore_case = true
}
