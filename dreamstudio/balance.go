package dreamstudio

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// Balance returns the credits left on the account the key belongs to.
func (c *Client) Balance(ctx context.Context) (float64, error) {
	ctx, cancel := context.WithTimeout(ctx, c.metadataTimeout)
	defer cancel()
	req, err := c.newRequest(ctx, http.MethodGet, "v1/user/balance", nil, "application/json")
	if err != nil {
		return 0, fmt.Errorf("balance: %w", err)
	}
	var body struct {
		Credits *float64 `json:"credits"`
	}
	if err := c.doJSON(req, &body); err != nil {
		return 0, fmt.Errorf("balance: %w", err)
	}
	if body.Credits == nil {
		return 0, errors.New("balance: answer has no credits")
	}
	return *body.Credits, nil
}
