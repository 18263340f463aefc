package sqldb

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps prepared statements of one pool by query text. SQLite
// parses and plans a statement on every unprepared query, which costs more
// than running a small indexed one; reusing the prepared statement skips
// that. (On PostgreSQL, pgx caches prepared statements per connection
// itself, so no cache is used there.) The number of distinct query texts is
// small and bounded — filters add conditions from a fixed set — and the
// cache stops growing at maxCachedStmts all the same.
type stmtCache struct {
	pool *sql.DB
	mu   sync.RWMutex
	m    map[string]*sql.Stmt
}

const maxCachedStmts = 512

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, m: map[string]*sql.Stmt{}}
}

// peek returns the prepared statement for query if there is one.
func (c *stmtCache) peek(query string) *sql.Stmt {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[query]
}

// get returns the prepared statement for query, preparing it once; nil when
// the cache is full or preparing fails (the caller then runs the query plainly).
// Preparing takes a connection from the pool, so get must not be called while
// the caller holds a transaction of the same pool (it could wait for itself).
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	if s := c.peek(query); s != nil {
		return s
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.m[query]; ok {
		return s
	}
	if len(c.m) >= maxCachedStmts {
		return nil
	}
	s, err := c.pool.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.m[query] = s
	return s
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.m {
		s.Close()
	}
	c.m = map[string]*sql.Stmt{}
}

// cachedQuerier runs queries through a stmtCache, inside tx when it is set.
// Write transactions use no cache: on SQLite they hold the only writer
// connection, and their statements are few and cheap next to the commit.
type cachedQuerier struct {
	cache *stmtCache
	tx    *sql.Tx
	plain querier
}

func (q cachedQuerier) stmt(ctx context.Context, query string) *sql.Stmt {
	if q.tx == nil {
		return q.cache.get(ctx, query)
	}
	// Inside a transaction, use a statement that plain reads prepared already.
	if s := q.cache.peek(query); s != nil {
		return q.tx.StmtContext(ctx, s)
	}
	return nil
}

func (q cachedQuerier) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := q.stmt(ctx, query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return q.plain.ExecContext(ctx, query, args...)
}

func (q cachedQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := q.stmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return q.plain.QueryContext(ctx, query, args...)
}

func (q cachedQuerier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := q.stmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return q.plain.QueryRowContext(ctx, query, args...)
}
