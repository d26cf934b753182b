package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"sync/atomic"

	"modernc.org/sqlite"
)

// driverName is the driver Open uses: modernc.org/sqlite with prepared
// statements kept per connection.
//
// Why: the driver prepares (parses and plans) every statement anew on
// each Exec and Query, and with the bot's few dozen distinct statements
// run over and over, parsing was the largest single cost of a command
// (about 40% of the CPU of /voortgang under load, go test -bench
// HandleVoortgangParallel -cpuprofile). A prepared statement is reset and
// reused instead; SQLite re-prepares it by itself should the schema change.
const driverName = "sqlite-wijkbot"

// maxCached bounds the statements kept per connection; the bot has far
// fewer, so this only guards against unbounded growth from ad-hoc queries.
const maxCached = 256

// sqliteDriver is the driver under the cache; a variable so that tests can
// register SQL functions with it.
var sqliteDriver = &sqlite.Driver{}

func init() {
	sql.Register(driverName, cachingDriver{sqliteDriver})
}

type cachingDriver struct{ d driver.Driver }

// Open implements driver.Driver.
func (c cachingDriver) Open(name string) (driver.Conn, error) {
	conn, err := c.d.Open(name)
	if err != nil {
		return nil, err
	}
	f, ok := conn.(fullConn)
	if !ok {
		conn.Close()
		return nil, errors.New("storage: the sqlite driver lacks an interface the statement cache needs")
	}
	return &cachingConn{fullConn: f, stmts: map[string]*cachedStmt{}}, nil
}

// fullConn is what database/sql uses of modernc's conn. The wrapper embeds
// it, so everything but Exec, Query and Close passes through unchanged.
type fullConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// cachingConn is one connection and its prepared statements. database/sql
// uses a connection from one goroutine at a time, so it needs no lock.
type cachingConn struct {
	fullConn
	stmts map[string]*cachedStmt
	// failures counts the statements that failed on this connection, also
	// those whose error the caller ignored: the committer runs a batch
	// without savepoints only as long as this does not move (commit.go).
	// Atomic: database/sql may close rows from another goroutine.
	failures atomic.Int64
}

type cachedStmt struct {
	st    driver.Stmt
	inUse bool // its rows are open: a nested use prepares afresh
}

var _ fullConn = (*cachingConn)(nil)

// cached returns the connection's prepared statement for query, preparing
// it on first use; nil when it cannot be used now (in use, or the cache
// is full), and the caller runs the query uncached.
func (c *cachingConn) cached(ctx context.Context, query string) (*cachedStmt, error) {
	if s, ok := c.stmts[query]; ok {
		if s.inUse {
			return nil, nil
		}
		return s, nil
	}
	if len(c.stmts) >= maxCached {
		return nil, nil
	}
	st, err := c.fullConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s := &cachedStmt{st: st}
	c.stmts[query] = s
	return s, nil
}

// ExecContext implements driver.ExecerContext.
func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (res driver.Result, err error) {
	defer c.count(&err)
	s, err := c.cached(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.fullConn.ExecContext(ctx, query, args)
	}
	return s.st.(driver.StmtExecContext).ExecContext(ctx, args)
}

// count counts a failed statement (see failures).
func (c *cachingConn) count(err *error) {
	if *err != nil {
		c.failures.Add(1)
	}
}

// QueryContext implements driver.QueryerContext.
func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (rows driver.Rows, err error) {
	defer c.count(&err)
	s, err := c.cached(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		rows, err := c.fullConn.QueryContext(ctx, query, args)
		if err != nil {
			return nil, err
		}
		return &cachedRows{Rows: rows, c: c}, nil
	}
	rows, err = s.st.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	s.inUse = true
	return &cachedRows{Rows: rows, c: c, s: s}, nil
}

// Close finalizes the prepared statements, then closes the connection.
func (c *cachingConn) Close() error {
	for q, s := range c.stmts {
		s.st.Close()
		delete(c.stmts, q)
	}
	return c.fullConn.Close()
}

// cachedRows marks its statement (nil when uncached) free again when
// closed, and counts a failed step as a failed statement.
type cachedRows struct {
	driver.Rows
	c *cachingConn
	s *cachedStmt
}

func (r *cachedRows) Next(dest []driver.Value) error {
	err := r.Rows.Next(dest)
	if err != nil && err != io.EOF {
		r.c.failures.Add(1)
	}
	return err
}

func (r *cachedRows) Close() error {
	if r.s != nil {
		r.s.inUse = false
	}
	err := r.Rows.Close()
	r.c.count(&err)
	return err
}
