# A wrong student number is a failed attempt at the student number, not a
# number of copies asked for later.
bot "transcripts" {
  languages = ["zh", "en"]
}

intent "transcript" {
  examples = ["我要开成绩单", "申请成绩单", "I need a transcript", "order a transcript"]
}

entity "student_id" {
  pattern = "20[0-9]{8}"
}

dialog "transcript" {
  trigger = [intent.transcript]

  slot "student_id" {
    type    = student_id
    prompt  = { zh = "学号？", en = "Student number?" }
    invalid = { zh = "学号是 10 位数字。", en = "A student number has 10 digits." }
  }

  slot "copies" {
    type     = number
    prompt   = { zh = "几份？", en = "How many copies?" }
    validate = slot.copies >= 1 && slot.copies <= 10
    invalid  = { zh = "1 到 10 份。", en = "1 to 10 copies." }
  }

  outcome "done" {
    reply = { zh = "好的，${slot.copies} 份。", en = "OK, ${slot.copies} copies." }
  }
}
