package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"

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

func init() {
	sql.Register(driverName, cachingDriver{&sqlite.Driver{}})
}

type cachingDriver struct{ d driver.Driver }

// Open implements driver.Driver.
func (c cachingDriver) Open(name string) (driver.Conn, error) {
	conn, err := c.d.Open(name)
	if err != nil {
		return nil, err
	}
	return &cachingConn{Conn: conn, stmts: map[string]*cachedStmt{}}, nil
}

// The interfaces of modernc's conn that database/sql uses and that the
// wrapper passes on unchanged.
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
	driver.Conn
	stmts map[string]*cachedStmt
}

type cachedStmt struct {
	st    driver.Stmt
	inUse bool // its rows are open: a nested use prepares afresh
}

var (
	_ driver.ConnBeginTx        = (*cachingConn)(nil)
	_ driver.ConnPrepareContext = (*cachingConn)(nil)
	_ driver.ExecerContext      = (*cachingConn)(nil)
	_ driver.QueryerContext     = (*cachingConn)(nil)
	_ driver.Pinger             = (*cachingConn)(nil)
	_ driver.SessionResetter    = (*cachingConn)(nil)
	_ driver.Validator          = (*cachingConn)(nil)
)

func (c *cachingConn) full() (fullConn, error) {
	f, ok := c.Conn.(fullConn)
	if !ok {
		return nil, errors.New("storage: the sqlite driver lacks an interface the statement cache needs")
	}
	return f, nil
}

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
	f, err := c.full()
	if err != nil {
		return nil, err
	}
	st, err := f.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s := &cachedStmt{st: st}
	c.stmts[query] = s
	return s, nil
}

// ExecContext implements driver.ExecerContext.
func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	f, err := c.full()
	if err != nil {
		return nil, err
	}
	s, err := c.cached(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return f.ExecContext(ctx, query, args)
	}
	return s.st.(driver.StmtExecContext).ExecContext(ctx, args)
}

// QueryContext implements driver.QueryerContext.
func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	f, err := c.full()
	if err != nil {
		return nil, err
	}
	s, err := c.cached(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return f.QueryContext(ctx, query, args)
	}
	rows, err := s.st.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	s.inUse = true
	return &cachedRows{Rows: rows, s: s}, nil
}

// Close finalizes the prepared statements, then closes the connection.
func (c *cachingConn) Close() error {
	for q, s := range c.stmts {
		s.st.Close()
		delete(c.stmts, q)
	}
	return c.Conn.Close()
}

// BeginTx implements driver.ConnBeginTx.
func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	f, err := c.full()
	if err != nil {
		return nil, err
	}
	return f.BeginTx(ctx, opts)
}

// PrepareContext implements driver.ConnPrepareContext (explicit Prepare
// calls are the caller's to manage, so they are not cached).
func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	f, err := c.full()
	if err != nil {
		return nil, err
	}
	return f.PrepareContext(ctx, query)
}

// Ping implements driver.Pinger.
func (c *cachingConn) Ping(ctx context.Context) error {
	f, err := c.full()
	if err != nil {
		return err
	}
	return f.Ping(ctx)
}

// ResetSession implements driver.SessionResetter.
func (c *cachingConn) ResetSession(ctx context.Context) error {
	f, err := c.full()
	if err != nil {
		return err
	}
	return f.ResetSession(ctx)
}

// IsValid implements driver.Validator.
func (c *cachingConn) IsValid() bool {
	f, err := c.full()
	return err == nil && f.IsValid()
}

// cachedRows marks its statement free again when closed.
type cachedRows struct {
	driver.Rows
	s *cachedStmt
}

func (r *cachedRows) Close() error {
	r.s.inUse = false
	return r.Rows.Close()
}
