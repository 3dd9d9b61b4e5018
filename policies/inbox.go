package policies

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// Inbox holds how conversations handed to people are shared out.
type Inbox struct {
	// AutoAssign gives waiting conversations to online agents with the queue's
	// skill and room under their chat limit, without their asking. Off by
	// default: agents claim conversations themselves. An agent's own setting
	// (set by an admin) overrides it.
	AutoAssign bool
	Range      hcl.Range
}

var inboxSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "auto_assign"}},
}

func (d *decoder) decodeInboxBlock(bot *Bot, block *hcl.Block) hcl.Diagnostics {
	if bot.Inbox != nil {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Duplicate inbox block",
			Detail:   fmt.Sprintf("An inbox block is already declared at %s; a bot has at most one.", bot.Inbox.Range.String()),
			Subject:  block.DefRange.Ptr(),
		}}
	}
	in, diags := decodeInbox(block)
	bot.Inbox = in
	return diags
}

// decodeInbox reads the inbox block.
func decodeInbox(block *hcl.Block) (*Inbox, hcl.Diagnostics) {
	in := &Inbox{Range: block.DefRange}
	content, diags := block.Body.Content(inboxSchema)
	var more hcl.Diagnostics
	in.AutoAssign, more = attrBool(content.Attributes, "auto_assign")
	// Kept even with errors, so a second inbox block is still reported.
	return in, append(diags, more...)
}
