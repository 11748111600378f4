package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"dreambot/settings"
)

// querier is what loading needs, from the DB or from a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Guild returns the settings of guildID: the zero value, with GuildID set,
// when none are stored. They come from a cache that any change, by this
// process or another, invalidates before the next read (guildcache.go).
func (db *DB) Guild(ctx context.Context, guildID string) (settings.Guild, error) {
	g, err := db.guilds.get(ctx, db.db, guildID)
	if err != nil {
		return settings.Guild{}, fmt.Errorf("read settings of guild %s: %w", guildID, err)
	}
	return g, nil
}

// UpdateGuild changes the settings of guildID on behalf of memberID. It runs
// fn on the current value inside one write transaction, so concurrent changes
// queue and none is lost. If fn returns an error, or leaves a value that does
// not validate, nothing is written and that error is returned as it is (a
// *settings.Error is safe to show the member). Otherwise it saves the value
// with UpdatedBy and UpdatedAt, records one audit row (action, and the detail
// fn returned) and returns the saved value. fn runs while the database is
// locked for writing: it must be quick and must not use db.
func (db *DB) UpdateGuild(ctx context.Context, guildID, memberID, action string,
	fn func(*settings.Guild) (detail string, err error)) (settings.Guild, error) {
	if guildID == "" || memberID == "" || action == "" {
		return settings.Guild{}, errors.New("update guild settings: guild, member and action required")
	}
	tx, end, err := db.beginWrite(ctx)
	if err != nil {
		return settings.Guild{}, fmt.Errorf("update settings of guild %s: %w", guildID, err)
	}
	defer end()
	defer tx.Rollback()

	g, err := loadGuild(ctx, tx, guildID)
	if err != nil {
		return settings.Guild{}, fmt.Errorf("update settings of guild %s: %w", guildID, err)
	}
	before := g
	before.AllowedEngines = slices.Clone(g.AllowedEngines)
	before.BlockedEngines = slices.Clone(g.BlockedEngines)
	before.DisabledFeatures = slices.Clone(g.DisabledFeatures)
	detail, err := fn(&g)
	if err != nil {
		return settings.Guild{}, err
	}
	g.GuildID = guildID
	if err := g.Validate(); err != nil {
		return settings.Guild{}, err
	}
	now := db.now()
	g.UpdatedBy, g.UpdatedAt = memberID, now
	if err := saveGuild(ctx, tx, before, g); err != nil {
		return settings.Guild{}, fmt.Errorf("update settings of guild %s: %w", guildID, err)
	}
	change := settings.Change{GuildID: guildID, MemberID: memberID, Action: action, Detail: detail, At: now}
	if err := insertChange(ctx, tx, change); err != nil {
		return settings.Guild{}, fmt.Errorf("update settings of guild %s: %w", guildID, err)
	}
	// Read back what was stored, so the caller sees exactly what Guild will.
	saved, err := loadGuild(ctx, tx, guildID)
	if err != nil {
		return settings.Guild{}, fmt.Errorf("update settings of guild %s: %w", guildID, err)
	}
	if err := tx.Commit(); err != nil {
		return settings.Guild{}, fmt.Errorf("update settings of guild %s: commit: %w", guildID, err)
	}
	return saved, nil
}

// loadGuild reads the settings and engine rules in one statement, so that it
// sees one consistent snapshot even outside a transaction.
func loadGuild(ctx context.Context, q querier, guildID string) (settings.Guild, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT s.default_engine, s.per_user_images, s.per_user_every_seconds, s.daily_credits, s.disabled_features, s.updated_by, s.updated_at,
		       COALESCE(e.engine_id, ''), COALESCE(e.rule, '')
		FROM guild_settings s LEFT JOIN guild_engines e ON e.guild_id = s.guild_id
		WHERE s.guild_id = ?
		ORDER BY e.engine_id`, guildID)
	if err != nil {
		return settings.Guild{}, err
	}
	defer rows.Close()

	g := settings.Guild{GuildID: guildID}
	for rows.Next() {
		var everySeconds int64
		var updatedAt, engineID, rule, off string
		if err := rows.Scan(&g.DefaultEngine, &g.PerUserImages, &everySeconds, &g.DailyCredits, &off, &g.UpdatedBy, &updatedAt, &engineID, &rule); err != nil {
			return settings.Guild{}, err
		}
		g.DisabledFeatures = nil
		if off != "" {
			g.DisabledFeatures = strings.Split(off, ",")
		}
		g.PerUserEvery = time.Duration(everySeconds) * time.Second
		if g.UpdatedAt, err = parseTime(updatedAt); err != nil {
			return settings.Guild{}, fmt.Errorf("updated_at: %w", err)
		}
		switch rule {
		case "allow":
			g.AllowedEngines = append(g.AllowedEngines, engineID)
		case "block":
			g.BlockedEngines = append(g.BlockedEngines, engineID)
		}
	}
	return g, rows.Err()
}

// saveGuild stores g over before, the value read in the same transaction.
// Only the engine rules that differ are written, so a change costs the same
// however many engines a server lists.
func saveGuild(ctx context.Context, tx *sql.Tx, before, g settings.Guild) error {
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO guild_settings (guild_id, default_engine, per_user_images, per_user_every_seconds, daily_credits, disabled_features,
			updated_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (guild_id) DO UPDATE SET
			default_engine = excluded.default_engine,
			per_user_images = excluded.per_user_images,
			per_user_every_seconds = excluded.per_user_every_seconds,
			daily_credits = excluded.daily_credits,
			disabled_features = excluded.disabled_features,
			updated_by = excluded.updated_by,
			updated_at = excluded.updated_at`,
		g.GuildID, g.DefaultEngine, g.PerUserImages, int64(g.PerUserEvery/time.Second), g.DailyCredits,
		strings.Join(g.DisabledFeatures, ","), g.UpdatedBy, formatTime(g.UpdatedAt),
	); err != nil {
		return err
	}
	old, rules := engineRules(before), engineRules(g)
	for id := range old {
		if _, ok := rules[id]; !ok {
			if _, err := tx.ExecContext(ctx, `DELETE FROM guild_engines WHERE guild_id = ? AND engine_id = ?`, g.GuildID, id); err != nil {
				return err
			}
		}
	}
	for id, rule := range rules {
		if old[id] == rule {
			continue
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO guild_engines (guild_id, engine_id, rule) VALUES (?, ?, ?)
			ON CONFLICT (guild_id, engine_id) DO UPDATE SET rule = excluded.rule`,
			g.GuildID, id, rule); err != nil {
			return err
		}
	}
	return nil
}

// engineRules maps each engine g names to "allow" or "block". Validate has
// made sure no engine is both.
func engineRules(g settings.Guild) map[string]string {
	rules := make(map[string]string, len(g.AllowedEngines)+len(g.BlockedEngines))
	for _, id := range g.AllowedEngines {
		rules[id] = "allow"
	}
	for _, id := range g.BlockedEngines {
		rules[id] = "block"
	}
	return rules
}
