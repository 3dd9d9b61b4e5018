

# A bot with sloppy layout.   
bot "shop" {
description = "Customer service"   
    languages = ["en","zh"]
  confidence_threshold=0.45



  business_hours {
  time_zone = "Asia/Shanghai"
      weekdays = "09:00-18:00"
  }
}
variable "limit" {
  value = 500
}