bot "b" {
  languages = ["zh", "en"]
}

entity "order_id" {
  pattern     = "LD[0-9]{8}"
  ignore_case = true
}

entity "garment" {
  values = {
    shirt       = ["衬衫", "shirt"]
    down_jacket = ["羽绒服", "down jacket"]
  }
}

intent "claim" {
  examples = [
    "[衬衫](garment)也洗坏了，[同一个订单](order_id)", # WARNING: Marked text the entity never reads
    "the [sweater](garment) shrank",       # WARNING: Marked text the entity never reads
    "my [shirts](garment) came back torn from [ld20261101](order_id)",
    "[羽绒服](garment)洗坏了",
    "my [down jaket](garment) is ruined", # WARNING: Marked text the entity never reads
    "订单[LD20261101](order_id)的[衬衫](garment)洗坏了",
    "衣服洗坏了",
    "you ruined my [shrit](garment)", # a typo the bot reads as the shirt
  ]
}
