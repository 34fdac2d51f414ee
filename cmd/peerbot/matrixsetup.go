package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rs/zerolog"

	"github.com/peerbot/peerbot/adapters/matrix"
)

const matrixSetupUsage = `peerbot matrix-setup gives the bot's Matrix account a cross-signing
identity and signs the bot's device with it, so that current clients (which
ignore devices not verified by their owner) talk to the bot. Run it once,
with peerbot stopped, after the Matrix settings are in the config file.

It needs the bot account's password once, to upload the keys: from
PEERBOT_MATRIX_PASSWORD, or typed when asked (not shown, never stored).
It prints a recovery key: put it in matrix.recovery_key (or
PEERBOT_MATRIX_RECOVERY_KEY) and keep a copy somewhere safe. With it,
peerbot signs a new device by itself, for example after a lost database.

Usage:
  peerbot matrix-setup [-config FILE] [-replace]
`

// runMatrixSetup bootstraps cross-signing for the configured Matrix account.
func (m *Main) runMatrixSetup(ctx context.Context, args []string) error {
	fs := m.flags("matrix-setup", matrixSetupUsage)
	configPath := fs.String("config", "", "the config file with the matrix section")
	replace := fs.Bool("replace", false, "replace the account's cross-signing keys (the old recovery key stops working)")
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{fmt.Sprintf("matrix-setup takes no arguments, got %q", fs.Arg(0))}
	}
	cfg := m.defaultConfig()
	if *configPath != "" {
		var err error
		if cfg, err = LoadConfig(*configPath, m.Getenv); err != nil {
			return err
		}
	}
	if !cfg.Matrix.Enabled() {
		return errors.New("matrix-setup: matrix.homeserver is not set in the config file (-config FILE)")
	}
	if !cfg.Matrix.EncryptionOn() {
		return errors.New("matrix-setup: matrix.encryption is off; cross-signing is only needed with encryption")
	}
	st, err := m.openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	log := m.logger(zerolog.WarnLevel).With().Str("adapter", "matrix").Logger()
	a, err := matrix.New(cfg.Matrix, st.DB(), log)
	if err != nil {
		return err
	}
	password := func() (string, error) { return m.matrixPassword(cfg.Matrix.UserID) }
	key, err := a.SetupCrossSigning(ctx, password, *replace)
	if errors.Is(err, matrix.ErrCrossSigningExists) {
		return fmt.Errorf("matrix-setup: %s already has cross-signing keys. If you have its recovery key, set matrix.recovery_key and start peerbot; it signs its device itself. If the key is lost, run matrix-setup -replace (other users who verified the bot will see its identity change)", cfg.Matrix.UserID)
	}
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(m.Stdout, `The bot's device is now signed by its account, %s.

Recovery key (shown only this once):

    %s

Put it in the config file as matrix.recovery_key (or in the environment as
PEERBOT_MATRIX_RECOVERY_KEY), and keep a copy somewhere safe, away from the
database backups. With it, peerbot signs a new device by itself (after a lost
database, for example). Without it, a new device needs matrix-setup -replace.
`, cfg.Matrix.UserID, key)
	return err
}

// matrixPassword reads the bot account's password from
// PEERBOT_MATRIX_PASSWORD, or asks for it on the terminal without echo, or
// reads one line from standard input when that is not a terminal.
func (m *Main) matrixPassword(user string) (string, error) {
	if v := m.Getenv("PEERBOT_MATRIX_PASSWORD"); v != "" {
		return v, nil
	}
	f, isFile := m.Stdin.(*os.File)
	var pw string
	var err error
	if m.Terminal && isFile {
		if !canHide {
			return "", errors.New("matrix-setup: set PEERBOT_MATRIX_PASSWORD (this system cannot hide a typed password)")
		}
		fmt.Fprintf(m.Stderr, "Password for %s (not shown): ", user)
		pw, err = readHidden(f)
		fmt.Fprintln(m.Stderr)
	} else {
		pw, err = readLine(m.Stdin)
	}
	if err != nil {
		return "", fmt.Errorf("matrix-setup: read the password: %w", err)
	}
	if pw == "" {
		return "", errors.New("matrix-setup: no password given (PEERBOT_MATRIX_PASSWORD or standard input)")
	}
	return pw, nil
}

// readLine reads up to a newline, one byte at a time so nothing after it
// is consumed, and returns the line without its line ending.
func readLine(r io.Reader) (string, error) {
	var b strings.Builder
	var c [1]byte
	for {
		n, err := r.Read(c[:])
		if n == 1 {
			if c[0] == '\n' {
				break
			}
			b.WriteByte(c[0])
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
	}
	return strings.TrimSuffix(b.String(), "\r"), nil
}
