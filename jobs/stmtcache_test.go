package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
)

// TestStatementCache checks that a cached statement gives the right rows
// when its text runs again, also while rows of it are still open, and after
// the cache was emptied for want of room.
func TestStatementCache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := openDB(filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (n INTEGER)`); err != nil {
		t.Fatal(err)
	}
	for n := range 5 {
		if _, err := db.ExecContext(ctx, `INSERT INTO t (n) VALUES (?)`, n); err != nil {
			t.Fatal(err)
		}
	}
	const above = `SELECT n FROM t WHERE n > ? ORDER BY n`

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	outer, err := tx.QueryContext(ctx, above, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !outer.Next() {
		t.Fatalf("outer: no first row: %v", outer.Err())
	}
	// The same text again, while the outer rows are open.
	if got := queryInts(t, tx.QueryContext, above, 0); !slices.Equal(got, []int{1, 2, 3, 4}) {
		t.Errorf("inner: got %v, want [1 2 3 4]", got)
	}
	var rest []int
	for n := 0; ; {
		if err := outer.Scan(&n); err != nil {
			t.Fatal(err)
		}
		rest = append(rest, n)
		if !outer.Next() {
			break
		}
	}
	outer.Close()
	if !slices.Equal(rest, []int{3, 4}) {
		t.Errorf("outer: got %v, want [3 4]", rest)
	}
	tx.Rollback()

	// Fill the cache past its room with other texts, then run the first
	// again.
	for i := range maxCachedStmts + 10 {
		queryInts(t, db.QueryContext, fmt.Sprintf("SELECT n FROM t WHERE n > ? AND %d = %d", i, i), 3)
	}
	if got := queryInts(t, db.QueryContext, above, 3); !slices.Equal(got, []int{4}) {
		t.Errorf("after eviction: got %v, want [4]", got)
	}
}

// queryInts runs a query of one integer column with query, a QueryContext
// method, and returns its values.
func queryInts(t *testing.T, query func(context.Context, string, ...any) (*sql.Rows, error), q string, arg any) []int {
	t.Helper()
	rows, err := query(context.Background(), q, arg)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []int
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		got = append(got, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return got
}
