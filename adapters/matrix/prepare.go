package matrix

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/rs/zerolog"
	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix/crypto"
	"maunium.net/go/mautrix/sqlstatestore"

	"github.com/peerbot/peerbot/store"
)

// PrepareDatabase creates the adapter's own tables and mautrix's state and
// crypto store tables in db (the store's DB()), as a starting adapter does,
// without a homeserver. peerbot migrate-store runs it on the new PostgreSQL
// database before copying a SQLite database's Matrix tables into it.
func PrepareDatabase(ctx context.Context, db *sql.DB, log zerolog.Logger) error {
	if err := (tables{db: db}).migrate(ctx, log); err != nil {
		return err
	}
	d, err := dbutil.NewWithDB(db, store.DialectOf(db))
	if err != nil {
		return fmt.Errorf("matrix store: %w", err)
	}
	d.Owner = "peerbot"
	if err := sqlstatestore.NewSQLStateStore(d, dbutil.ZeroLogger(log), false).Upgrade(ctx); err != nil {
		return fmt.Errorf("matrix state store: %w", err)
	}
	cs := crypto.NewSQLCryptoStore(d, dbutil.ZeroLogger(log), "", "", nil)
	if err := cs.DB.Upgrade(ctx); err != nil {
		return fmt.Errorf("matrix crypto store: %w", err)
	}
	return nil
}
