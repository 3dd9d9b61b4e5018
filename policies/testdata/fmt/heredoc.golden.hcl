response "policy" {
  en = <<EOT
Returns are free within 30 days.   


Keep the receipt.  
EOT
  zh = "30 天内免费退货。"
}
