package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot/bottest"
)

// FuzzInteraction runs raw INTERACTION_CREATE payloads (the gateway event's
// "d") through the bot's gateway handler, from discordgo's decoding to the
// answer. Nothing may panic outside a handler, an interaction with an id
// and a token gets exactly one callback and one without gets none, one that
// discordgo could not decode gets the apology and one log line, and the
// token never reaches the logs. The seeds in testdata/fuzz/FuzzInteraction
// are the payloads of issue #9 and real ones from commands/testdata.
func FuzzInteraction(f *testing.F) {
	f.Fuzz(func(t *testing.T, raw []byte) {
		var logs bytes.Buffer
		b := fuzzBot(t, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{
			Level:       slog.LevelDebug,
			ReplaceAttr: dropTime,
		})))
		rec := bottest.NewRecorder()

		// What discordgo's Session.onEvent (wsapi.go) does with the "d" of
		// an event it knows: unmarshal into the type's New() value, log a
		// failure, and dispatch the value anyway.
		ic := &discordgo.InteractionCreate{}
		decodeErr := json.Unmarshal(raw, ic)
		b.dispatch(rec, &discordgo.Event{Type: interactionCreate, RawData: raw, Struct: ic})

		log := logs.String()
		if strings.Contains(log, `msg="interaction panicked"`) || strings.Contains(log, `msg="gateway event panicked"`) {
			t.Fatalf("panic outside a handler:\n%s", log)
		}
		var want struct {
			ID    string `json:"id"`
			Token string `json:"token"`
		}
		_ = json.Unmarshal(raw, &want) // as far as it goes, like the bot
		calls := rec.Calls()
		if !answerable(&discordgo.Interaction{ID: want.ID, Token: want.Token}) {
			if len(calls) != 0 {
				t.Fatalf("an interaction without a usable id or token was answered: %+v", calls)
			}
			return
		}
		if len(calls) != 1 || calls[0].Method != "respond" {
			t.Fatalf("calls %+v, want exactly one callback", calls)
		}
		c := calls[0]
		switch c.Type {
		case discordgo.InteractionResponseChannelMessageWithSource:
			if apologised := c.Content == couldNotRead; apologised != (decodeErr != nil) {
				t.Errorf("answer %q to a payload discordgo decoded with error %v", c.Content, decodeErr)
			}
		case discordgo.InteractionApplicationCommandAutocompleteResult:
			if decodeErr != nil && len(c.Choices) > 0 {
				t.Errorf("choices %+v for autocomplete data that could not be read", c.Choices)
			}
		default: // a deferral, which only a handler asks for
			if decodeErr != nil {
				t.Errorf("callback type %v to a payload that could not be read", c.Type)
			}
		}
		if n := strings.Count(log, `msg="could not read interaction"`); decodeErr != nil && n != 1 {
			t.Errorf("logged %d times that the interaction could not be read, want once:\n%s", n, log)
		}
		if len(want.Token) >= 16 && stringsHolding(raw, want.Token) == 1 && strings.Contains(log, want.Token) {
			t.Errorf("the interaction token is in the logs:\n%s", log)
		}
	})
}

// fuzzBot returns a bot whose router has a handler of each kind, some of
// them fragile the way real handlers can be (discordgo's option getters
// panic on a value of another type).
func fuzzBot(t *testing.T, log *slog.Logger) *Bot {
	t.Helper()
	rt := NewRouter(log, nil)
	rt.Use(Recover(log), Log(log))
	rt.Command("imagine", func(_ context.Context, r *Request) (*Response, error) {
		var words []string
		for _, o := range r.ApplicationCommandData().Options {
			switch o.Type {
			case discordgo.ApplicationCommandOptionString:
				words = append(words, o.StringValue())
			case discordgo.ApplicationCommandOptionInteger:
				o.IntValue()
			}
		}
		return &Response{Content: "imagining " + strings.Join(words, " "), Ephemeral: true}, nil
	})
	rt.Command("later", func(context.Context, *Request) (*Response, error) { return &Response{Later: true}, nil })
	rt.Command("dreamstudio", func(context.Context, *Request) (*Response, error) {
		return nil, errors.New("no engines today")
	})
	rt.Autocomplete("imagine", func(_ context.Context, r *Request) (*Response, error) {
		for _, o := range r.ApplicationCommandData().Options {
			if o.Focused {
				v := o.StringValue()
				return &Response{Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "x" + v, Value: v}}}, nil
			}
		}
		return &Response{}, nil
	})
	rt.Component("again", func(_ context.Context, r *Request) (*Response, error) {
		return &Response{Content: "again: " + r.MessageComponentData().CustomID}, nil
	})
	b, err := New(Options{Token: "bot-token", Router: rt, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func dropTime(_ []string, a slog.Attr) slog.Attr {
	if a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}

// stringsHolding counts the keys, strings and numbers of the JSON value raw
// that contain s. A token that is also, say, part of the command's name may
// be logged as the name, which is no leak.
func stringsHolding(raw []byte, s string) int {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil {
		return 0
	}
	var count func(v any) int
	count = func(v any) int {
		n := 0
		switch v := v.(type) {
		case string:
			if strings.Contains(v, s) {
				n++
			}
		case json.Number:
			if strings.Contains(string(v), s) {
				n++
			}
		case []any:
			for _, e := range v {
				n += count(e)
			}
		case map[string]any:
			for k, e := range v {
				if strings.Contains(k, s) {
					n++
				}
				n += count(e)
			}
		}
		return n
	}
	return count(v)
}
