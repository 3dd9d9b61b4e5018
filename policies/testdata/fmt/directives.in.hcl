response "x" {
  en = "%{ if a }A%{~ else ~}B%{ endif ~}${x}"
  zh = <<EOT
%{if a}keep%{endif}
EOT
  x  = "%{ for k, v in m } ${k} = ${v}%{ endfor }"
}
