package bot_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot"
	"dreambot/bot/bottest"
)

func command(name string) *discordgo.Interaction {
	return &discordgo.Interaction{
		ID: "1", Type: discordgo.InteractionApplicationCommand, GuildID: "g1", ChannelID: "c1",
		Member: &discordgo.Member{User: &discordgo.User{ID: "u1"}},
		Data:   discordgo.ApplicationCommandInteractionData{Name: name},
	}
}

func restError(status, code int) error {
	return &discordgo.RESTError{
		Response: &http.Response{StatusCode: status},
		Message:  &discordgo.APIErrorMessage{Code: code, Message: "refused"},
	}
}

var png = []byte("\x89PNG\r\n\x1a\nfake")

func imageResponse() *bot.Response {
	return &bot.Response{
		Content:        "here it is, saved as `images/a.png`",
		Files:          []bot.File{{Name: "a.png", ContentType: "image/png", Data: png}},
		NoFilesContent: "saved as `images/a.png` (could not attach)",
	}
}

func methods(calls []bottest.Call) string {
	var m []string
	for _, c := range calls {
		m = append(m, c.Method)
	}
	return strings.Join(m, ",")
}

func TestReplyFallbacks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		deferIt bool
		fail    map[string][]error
		handler func() (*bot.Response, error)
		want    string // methods called, in order
		check   func(t *testing.T, calls []bottest.Call)
	}{
		{
			name: "immediate answer", handler: func() (*bot.Response, error) { return imageResponse(), nil },
			want: "respond",
			check: func(t *testing.T, calls []bottest.Call) {
				if calls[0].Type != discordgo.InteractionResponseChannelMessageWithSource || len(calls[0].Files) != 1 {
					t.Errorf("got %+v, want a message with one file", calls[0])
				}
			},
		},
		{
			name: "deferred then edited", deferIt: true,
			handler: func() (*bot.Response, error) { return imageResponse(), nil },
			want:    "respond,edit",
			check: func(t *testing.T, calls []bottest.Call) {
				if calls[0].Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
					t.Errorf("first call type %v, want deferred", calls[0].Type)
				}
				if string(calls[1].Files[0].Data) != string(png) {
					t.Errorf("edit attached %q, want the image", calls[1].Files[0].Data)
				}
			},
		},
		{
			name: "upload too large: the text still arrives", deferIt: true,
			fail:    map[string][]error{"edit": {restError(413, 40005)}},
			handler: func() (*bot.Response, error) { return imageResponse(), nil },
			want:    "respond,edit,edit",
			check: func(t *testing.T, calls []bottest.Call) {
				if len(calls[2].Files) != 0 || !strings.Contains(calls[2].Content, "could not attach") {
					t.Errorf("retry = %+v, want the no-files text without files", calls[2])
				}
			},
		},
		{
			name: "over Discord's upload limit: never sent, the text says where it is", deferIt: true,
			handler: func() (*bot.Response, error) {
				r := imageResponse()
				r.Files[0].Data = make([]byte, bot.MaxUploadBytes+1)
				return r, nil
			},
			want: "respond,edit",
			check: func(t *testing.T, calls []bottest.Call) {
				if len(calls[1].Files) != 0 || !strings.Contains(calls[1].Content, "could not attach") {
					t.Errorf("edit = %+v, want the no-files text without files", calls[1])
				}
			},
		},
		{
			name: "a Discord 500 is tried again with the image", deferIt: true,
			fail:    map[string][]error{"edit": {restError(500, 0)}},
			handler: func() (*bot.Response, error) { return imageResponse(), nil },
			want:    "respond,edit,edit",
			check: func(t *testing.T, calls []bottest.Call) {
				if len(calls[2].Files) != 1 {
					t.Errorf("retry = %+v, want the image again", calls[2])
				}
			},
		},
		{
			name: "token expired: posted in the channel", deferIt: true,
			fail:    map[string][]error{"edit": {restError(401, 50027)}},
			handler: func() (*bot.Response, error) { return imageResponse(), nil },
			want:    "respond,edit,channel",
			check: func(t *testing.T, calls []bottest.Call) {
				c := calls[2]
				if c.Channel != "c1" || !strings.HasPrefix(c.Content, "<@u1>") || len(c.Files) != 1 {
					t.Errorf("channel message = %+v, want a mention of u1 with the image in c1", c)
				}
				if c.Mentions == nil || len(c.Mentions.Users) != 1 || len(c.Mentions.Parse) != 0 {
					t.Errorf("allowed mentions = %+v, want only the member", c.Mentions)
				}
			},
		},
		{
			name: "token expired and channel refuses files", deferIt: true,
			fail:    map[string][]error{"edit": {restError(401, 50027)}, "channel": {restError(413, 40005)}},
			handler: func() (*bot.Response, error) { return imageResponse(), nil },
			want:    "respond,edit,channel,channel",
			check: func(t *testing.T, calls []bottest.Call) {
				if !strings.Contains(calls[3].Content, "could not attach") || len(calls[3].Files) != 0 {
					t.Errorf("last = %+v, want the no-files text", calls[3])
				}
			},
		},
		{
			name: "ephemeral after deferring becomes a private follow-up", deferIt: true,
			handler: func() (*bot.Response, error) { return &bot.Response{Content: "nope", Ephemeral: true}, nil },
			want:    "respond,delete,followup",
			check: func(t *testing.T, calls []bottest.Call) {
				if calls[2].Flags&discordgo.MessageFlagsEphemeral == 0 {
					t.Errorf("follow-up flags %v, want ephemeral", calls[2].Flags)
				}
			},
		},
		{
			name: "error is described privately", handler: func() (*bot.Response, error) { return nil, errors.New("boom: secret internals") },
			want: "respond",
			check: func(t *testing.T, calls []bottest.Call) {
				if strings.Contains(calls[0].Content, "secret") || calls[0].Flags&discordgo.MessageFlagsEphemeral == 0 {
					t.Errorf("got %+v, want a private apology without internals", calls[0])
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := bottest.NewRecorder()
			for m, errs := range tt.fail {
				rec.Fail(m, errs...)
			}
			rt := bot.NewRouter(slog.New(slog.DiscardHandler), nil)
			rt.Command("imagine", func(ctx context.Context, r *bot.Request) (*bot.Response, error) {
				if tt.deferIt {
					if err := r.Defer(ctx); err != nil {
						t.Fatal(err)
					}
				}
				return tt.handler()
			})
			rt.Handle(context.Background(), rec, command("imagine"))
			calls := rec.Calls()
			if got := methods(calls); got != tt.want {
				t.Fatalf("calls %s, want %s", got, tt.want)
			}
			for _, c := range calls {
				if c.Content != "" && c.Mentions == nil {
					t.Errorf("%s without allowed_mentions: a prompt could ping @everyone", c.Method)
				}
			}
			if tt.check != nil {
				tt.check(t, calls)
			}
		})
	}
}

func TestAutocompleteAnswersChoicesEvenOnError(t *testing.T) {
	t.Parallel()
	rec := bottest.NewRecorder()
	rt := bot.NewRouter(slog.New(slog.DiscardHandler), nil)
	rt.Autocomplete("imagine", func(ctx context.Context, r *bot.Request) (*bot.Response, error) {
		return nil, errors.New("api down")
	})
	in := command("imagine")
	in.Type = discordgo.InteractionApplicationCommandAutocomplete
	rt.Handle(context.Background(), rec, in)
	calls := rec.Calls()
	if len(calls) != 1 || calls[0].Type != discordgo.InteractionApplicationCommandAutocompleteResult || calls[0].Choices == nil {
		t.Fatalf("got %+v, want one autocomplete result with an empty choice list", calls)
	}
}

func TestUnknownCommandGetsAnAnswer(t *testing.T) {
	t.Parallel()
	rec := bottest.NewRecorder()
	bot.NewRouter(slog.New(slog.DiscardHandler), nil).Handle(context.Background(), rec, command("gone"))
	calls := rec.Calls()
	if len(calls) != 1 || calls[0].Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Fatalf("got %+v, want one private answer", calls)
	}
}
