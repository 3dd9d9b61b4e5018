entity "account_number" {
  description = "Customer account numbers: AC and eight digits"
  pattern     = "AC[0-9]{8}"
  ignore_case = true
}

entity "fuel" {
  values = {
    electricity = ["electricity", "electric", "power", "lights", "电力", "供电", "电表"]
    gas         = ["gas", "燃气", "煤气", "天然气", "气表"]
  }
  labels = {
    electricity = { en = "Electricity", zh = "电" }
    gas         = { en = "Gas", zh = "燃气" }
  }
}

entity "tariff" {
  values = {
    fixed    = ["fixed", "fixed price", "fix", "固定", "固定价格", "固定电价"]
    variable = ["variable", "standard variable", "浮动", "浮动价格", "标准"]
    green    = ["green", "renewable", "green energy", "绿色", "绿电", "绿色能源", "新能源"]
    peak     = ["economy 7", "off-peak", "off peak", "time of use", "峰谷", "峰谷电价", "分时"]
  }
  labels = {
    fixed    = { en = "Fixed price", zh = "固定价格" }
    variable = { en = "Standard variable", zh = "标准浮动" }
    green    = { en = "Green energy", zh = "绿色能源" }
    peak     = { en = "Off-peak (Economy 7)", zh = "峰谷分时" }
  }
}

entity "outage_scope" {
  description = "Whether the outage is only the customer's home or wider"
  values = {
    just_me = ["just me", "just us", "only me", "only us", "just my", "only my", "just mine", "only mine", "just our", "只有我家", "就我家", "只是我家", "就我们家", "只有我们家", "邻居家有电", "邻居有电", "邻居没事", "邻居没受影响", "邻居正常", "邻居都正常"]
    wider   = ["neighbours", "neighbors", "whole street", "whole building", "everyone", "whole area", "whole block", "next door", "邻居", "整栋楼", "整个小区", "整条街", "附近", "全楼", "隔壁", "整个楼", "一片"]
  }
  labels = {
    just_me = { en = "Just my home", zh = "只有我家" }
    wider   = { en = "Neighbours too", zh = "邻居也是" }
  }
}
