package dialog

import "testing"

const unaskedSlotDir = "testdata/unasked_slot"

// A value refused for a slot whose required_when does not hold is dropped
// without a word: the bot used to say the slot's invalid message and wait
// for an answer to a question the dialog does not need ("How heavy?" about a
// letter).
func TestRefusedValueForASlotNotAskedIsDropped(t *testing.T) {
	runConversations(t, []conversation{{
		name: "a letter's weight is not asked, whatever the message says",
		dir:  unaskedSlotDir,
		turns: []exchange{
			{in: say("post a letter weighing 3 kg", intent("send", 0.9), ent("kind", "letter"), entText("number", "3", "3")),
				replies: []string{"Sending a letter."}, stack: none()},
		},
	}, {
		name: "the weight named before the kind is dropped once the kind says it is not asked",
		dir:  unaskedSlotDir,
		turns: []exchange{
			{in: say("3 kg, a letter", intent("send", 0.9), entText("number", "3", "3"), ent("kind", "letter")),
				replies: []string{"Sending a letter."}, stack: none()},
		},
	}, {
		name: "a parcel's weight is still refused",
		dir:  unaskedSlotDir,
		turns: []exchange{
			{in: say("send a parcel weighing 3 kg", intent("send", 0.9), ent("kind", "parcel"), entText("number", "3", "3")),
				replies: []string{"Too heavy. How heavy, in kg?"}, stack: []string{"send"}},
			{in: say("1", entText("number", "1", "1")), replies: []string{"Sending a parcel."}, stack: none()},
		},
	}, {
		// The item waits for the booking call its validate reads; the call
		// says the move is under way, so the item is not asked.
		name: "a value held for a call is dropped when the call's answer means it is not asked",
		dir:  unaskedSlotDir,
		turns: []exchange{
			{in: say("my tv was damaged", intent("claim", 0.9), ent("item", "tv")), replies: []string{"Booking reference?"}},
			{in: say("MV200002"), calls: []string{"bookings.get"}, replies: []string{"Show the crew leader now."}, stack: none()},
		},
	}, {
		name: "a value held for a call is still refused when the slot is asked",
		dir:  unaskedSlotDir,
		turns: []exchange{
			{in: say("my tv was damaged", intent("claim", 0.9), ent("item", "tv")), replies: []string{"Booking reference?"}},
			{in: say("MV100001"), calls: []string{"bookings.get"}, replies: []string{"That isn't on the booking. Which item?"}, stack: []string{"claim"}},
			{in: say("sofa", ent("item", "sofa")), replies: []string{"How many items?"}},
			{in: say("1", entText("number", "1", "1")), replies: []string{"Claim for the sofa."}, stack: none()},
		},
	}, {
		// Whether the slot is asked depends on a call that has not run: the
		// value is refused at once, as it always was.
		name: "a value for a slot whose required_when waits for a call is refused",
		dir:  unaskedSlotDir,
		turns: []exchange{
			{in: say("9 things were damaged", intent("claim", 0.9), entText("number", "9", "9")),
				replies: []string{"At most 5. How many items?"}, stack: []string{"claim"}},
		},
	}})
}
