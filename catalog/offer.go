package catalog

import (
	"context"
	"log/slog"
	"slices"

	"dreambot/dreamstudio"
)

// Lister lists engines; a *Cache is one.
type Lister interface {
	Engines(ctx context.Context) ([]dreamstudio.Engine, error)
}

// Offer is everything the bot offers: the v1 engines the API lists (through a Cache) and the
// Stable Image models the operator chose, which the API does not list. Callers see one list of
// dreamstudio.Engine and never ask which API serves an entry.
type Offer struct {
	engines Lister
	models  []dreamstudio.Engine
	log     *slog.Logger
}

// NewOffer offers engines' list followed by models.
func NewOffer(engines Lister, models []dreamstudio.Engine, log *slog.Logger) *Offer {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Offer{engines: engines, models: slices.Clone(models), log: log.With("component", "catalog")}
}

// Engines returns the v1 engines, then the models. When the engine list can't be read, the
// models are still offered (they don't depend on it) and the error is only logged; with no
// models, the error is returned.
func (o *Offer) Engines(ctx context.Context) ([]dreamstudio.Engine, error) {
	es, err := o.All(ctx)
	if err != nil && len(es) > 0 {
		o.log.Warn("offering the Stable Image models without the v1 engine list", "err", err)
		return es, nil
	}
	return es, err
}

// All is Engines that also returns the engine list's error beside the models: for the operator's
// shell, where a wrong key must not pass for a short list.
func (o *Offer) All(ctx context.Context) ([]dreamstudio.Engine, error) {
	es, err := o.engines.Engines(ctx)
	out := make([]dreamstudio.Engine, 0, len(es)+len(o.models))
	out = append(out, es...)
	for _, m := range o.models {
		if !slices.ContainsFunc(out, func(e dreamstudio.Engine) bool { return e.ID == m.ID }) {
			out = append(out, m)
		}
	}
	return out, err
}

// Models returns the Stable Image models whose ids are in ids, in dreamstudio's order.
func Models(ids []string) []dreamstudio.Engine {
	var out []dreamstudio.Engine
	for _, m := range dreamstudio.StableImageModels() {
		if slices.Contains(ids, m.ID) {
			out = append(out, m)
		}
	}
	return out
}
