// Package settings holds the per-server settings that moderators choose:
// which engines members may use, the default engine, how many images a
// member may make in a period, and the credits the server may spend a day.
// It is pure domain logic: it stores nothing and knows nothing of Discord or
// of the image API, so every rule here can be tested as plain values.
package settings
