package bot

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot/bottest"
)

// TestDispatch follows INTERACTION_CREATE payloads that discordgo cannot
// decode through the gateway handler: each is answered once when it has an
// id and a token, and logged once with its type and id, never its token.
func TestDispatch(t *testing.T) {
	t.Parallel()
	const token = "aW50ZXJhY3Rpb246MTMxMDUxMjM0NTY3ODkwMTIzNDpkdkxYcFNBdXRoVG9rZW4"
	tests := []struct {
		name    string
		payload string
		closing bool
		// want is the answer's content, "" for no answer at all.
		want string
		// log is a fragment of the one line that says what was wrong.
		log string
	}{
		{"command", `{"id":"11","token":"T","type":2,"data":{"name":"imagine"}}`, false, "imagining ", ""},
		{"command without data", `{"id":"11","token":"T","type":2}`, false, couldNotRead,
			`msg="could not read interaction" interaction=11 guild="" type=ApplicationCommand`},
		{"users as an array", `{"id":"11","token":"T","type":2,"data":{"name":"imagine","resolved":{"users":[]}}}`, false, couldNotRead,
			`type=ApplicationCommand`},
		{"component_type as a string", `{"id":"11","token":"T","type":3,"data":{"custom_id":"again:1","component_type":"2"}}`, false, couldNotRead,
			`type=MessageComponent`},
		{"member of another type (discordgo then drops id and token)", `{"id":"11","token":"T","type":2,"member":5,"data":{"name":"imagine"}}`, false, couldNotRead,
			`msg="could not read interaction" interaction=11 guild="" type=ApplicationCommand`},
		{"unreadable while restarting", `{"id":"11","token":"T","type":2}`, true, "I'm restarting right now. Please try again in a minute.", ""},
		{"no token", `{"id":"11","type":2}`, false, "", `msg="interaction without a usable id or token: it cannot be answered" component=bot type=ApplicationCommand`},
		{"token of another type", `{"id":"11","token":5,"type":2}`, false, "", `type=ApplicationCommand`},
		{"a token that is a path", `{"id":"11","token":"x/../../channels/1/messages?a=","type":2,"member":5}`, false, "", `without a usable id or token`},
		{"an id that is not a snowflake", `{"id":"../11","token":"T","type":2,"member":5}`, false, "", `without a usable id or token`},
		{"null", `null`, false, "", `type=InteractionType(0)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			b := fuzzBot(t, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{ReplaceAttr: dropTime})))
			b.closing = tt.closing
			rec := bottest.NewRecorder()
			raw := []byte(strings.ReplaceAll(tt.payload, `"T"`, `"`+token+`"`))
			ic := &discordgo.InteractionCreate{}
			_ = json.Unmarshal(raw, ic) // as discordgo does: the error is logged, not acted on
			b.dispatch(rec, &discordgo.Event{Type: interactionCreate, RawData: raw, Struct: ic})

			calls := rec.Calls()
			switch {
			case tt.want == "" && len(calls) != 0:
				t.Errorf("calls %+v, want none", calls)
			case tt.want != "" && (len(calls) != 1 || calls[0].Method != "respond" ||
				!strings.HasPrefix(calls[0].Content, tt.want) || calls[0].Flags != discordgo.MessageFlagsEphemeral):
				t.Errorf("calls %+v, want one private answer %q", calls, tt.want)
			}
			log := logs.String()
			if tt.log != "" && (!strings.Contains(log, tt.log) || strings.Count(log, "\n") != 1) {
				t.Errorf("log:\n%s\nwant one line with %s", log, tt.log)
			}
			if strings.Contains(log, token) {
				t.Errorf("the token is in the log:\n%s", log)
			}
		})
	}
}
