package engine

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// echoBot is an ISP's troubleshooting bot, as a stranger writes it from the
// docs: yes-or-no questions without buttons, in Chinese and English.
const echoBot = `
bot "isp" {
  languages = ["zh", "en"]
}

intent "internet_down" {
  examples = [
    "no internet connection", "my internet is down", "the wifi stopped working", "I can't get online",
    "网络断了", "上不了网", "家里没网了", "宽带连不上",
  ]
}

response "ask_lights" {
  en = "Is the light on your router green?"
  zh = "路由器的灯是绿色的吗？"
}

response "ask_restarted" {
  en = "Please restart the router. Does it work now?"
  zh = "请重启一下路由器。重启以后能上网了吗？"
}

response "ask_ticket" {
  en = "Would you like me to open a ticket for a technician?"
  zh = "需要我帮您开工单，安排师傅上门吗？"
}

dialog "troubleshoot" {
  trigger = [intent.internet_down]

  slot "lights_green" {
    type    = yes_no
    prompt  = response.ask_lights
    invalid = { en = "Please look at the light and answer yes or no.", zh = "请看一下指示灯，回答是或不是。" }
  }

  slot "back_online" {
    type          = yes_no
    required_when = slot.lights_green == "yes"
    prompt        = response.ask_restarted
  }

  slot "wants_ticket" {
    type          = yes_no
    required_when = slot.lights_green == "no" || slot.back_online == "no"
    prompt        = response.ask_ticket
  }

  outcome "fixed" {
    when  = slot.back_online == "yes"
    reply = { en = "Glad it works.", zh = "好的，网络恢复了。" }
  }

  outcome "ticket" {
    when  = slot.wants_ticket == "yes"
    reply = { en = "A technician will call.", zh = "已为您安排师傅上门。" }
  }

  outcome "no_ticket" {
    reply = { en = "OK, write to us any time.", zh = "好的，有问题随时找我们。" }
  }
}
`

const echoTests = `
test "是绿色的, 还是不行, 要" {
  turn {
    user     = "家里没网了"
    response = response.ask_lights
  }
  turn {
    user     = "是绿色的"
    response = response.ask_restarted
    slots    = { lights_green = "yes" }
  }
  turn {
    user     = "还是不行"
    response = response.ask_ticket
    slots    = { back_online = "no" }
  }
  turn {
    user   = "要"
    reply  = "已为您安排师傅上门。"
    slots  = { wants_ticket = "yes" }
    dialog = "none"
  }
}

test "不是, 不用了" {
  turn {
    user     = "上不了网"
    response = response.ask_lights
  }
  turn {
    user     = "不是绿色的，是红色"
    response = response.ask_ticket
    slots    = { lights_green = "no" }
  }
  turn {
    user  = "不用了"
    reply = "好的，有问题随时找我们。"
    slots = { wants_ticket = "no" }
  }
}

test "绿的, 可以了" {
  turn {
    user     = "网络断了"
    response = response.ask_lights
  }
  turn {
    user  = "嗯，绿的"
    slots = { lights_green = "yes" }
  }
  turn {
    user  = "可以上网了"
    reply = "好的，网络恢复了。"
    slots = { back_online = "yes" }
  }
}

test "上不了, 没法" {
  turn {
    user     = "家里没网了"
    response = response.ask_lights
  }
  turn {
    user     = "是绿色的"
    response = response.ask_restarted
  }
  turn {
    user     = "还是上不了"
    response = response.ask_ticket
    slots    = { back_online = "no" }
  }
}

test "another colour is asked again, and the echo read after it" {
  turn {
    user     = "家里没网了"
    response = response.ask_lights
  }
  turn {
    user  = "是红色的"
    reply = "请看一下指示灯，回答是或不是。"
    slots = { lights_green = null }
  }
  turn {
    user     = "哦，是绿的" # still read against the question, not the invalid message
    response = response.ask_restarted
    slots    = { lights_green = "yes" }
  }
}

test "it isn't, it does" {
  turn {
    user     = "my internet is down"
    response = response.ask_lights
  }
  turn {
    user     = "it isn't"
    response = response.ask_ticket
    slots    = { lights_green = "no" }
  }
  turn {
    user  = "I would"
    reply = "A technician will call."
    slots = { wants_ticket = "yes" }
  }
}

test "it's green, still not working" {
  turn {
    user     = "the wifi stopped working"
    response = response.ask_lights
  }
  turn {
    user     = "it's green"
    response = response.ask_restarted
    slots    = { lights_green = "yes" }
  }
  turn {
    user     = "still not working"
    response = response.ask_ticket
    slots    = { back_online = "no" }
  }
  turn {
    user  = "no thanks"
    reply = "OK, write to us any time."
    slots = { wants_ticket = "no" }
  }
}
`

// A yes_no slot takes an answer that echoes its question, which is how
// Chinese answers one, through the real NLU and the turn runner.
func TestYesNoEchoAnswers(t *testing.T) {
	sum, failures, out := runBotTests(t, echoBot+echoTests)
	if diff := cmp.Diff([]string(nil), failures); diff != "" {
		t.Errorf("failures (-want +got):\n%s\n%s", diff, out)
	}
	if sum.Passed != 7 {
		t.Errorf("%d passed, want 7:\n%s", sum.Passed, out)
	}
}
