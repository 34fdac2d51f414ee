package matrix

import (
	"context"
	"errors"
	"fmt"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/crypto/signatures"
	"maunium.net/go/mautrix/crypto/ssss"
)

// Current clients exclude devices that are not cross-signed by their own
// account (MSC4153): they neither send them room keys nor show what they
// send as trusted. So the bot's device must be signed by its account's
// self-signing key. The keys are made once by SetupCrossSigning (`peerbot
// matrix-setup`, which needs the account's password) and kept in secret
// storage under a recovery key; with that key configured, every start
// signs the device again if it is not (a new device after a lost
// database) without a password. All of it is mautrix's own code.

// ErrCrossSigningExists is returned by SetupCrossSigning when the account
// already has cross-signing keys and replacing them was not asked for.
var ErrCrossSigningExists = errors.New("the account already has cross-signing keys")

// checkCrossSigning makes sure, at start, that the bot's device is signed by
// its account's self-signing key, signing it with the keys from secret
// storage when matrix.recovery_key is set. It says once, clearly, when the
// device stays unsigned. It fails only when the recovery key is wrong: a
// homeserver error is logged, and the bot runs on.
func (a *Adapter) checkCrossSigning(ctx context.Context) error {
	hasKeys, signed, err := a.ownSigningStatus(ctx)
	if err != nil {
		a.log.Error().Err(err).Msg("Could not check whether the Matrix device is cross-signed; clients that exclude unverified devices may not talk to it")
		return nil
	}
	device := a.cli.DeviceID.String()
	switch {
	case signed:
		a.crossSigned.Store(true)
		a.log.Info().Str("device_id", device).Msg("Matrix device is cross-signed by its account")
		if a.cfg.RecoveryKey != "" {
			// Not needed now, but a new device will need it: say today
			// if it is wrong.
			if err := a.checkRecoveryKey(ctx); err != nil {
				a.log.Error().Err(err).Msg("matrix.recovery_key does not open this account's secret storage; a new device could not sign itself with it")
			}
		}
	case !hasKeys:
		a.log.Warn().Str("device_id", device).
			Msg("Matrix device is NOT cross-signed: the account has no cross-signing keys, so current clients (Element with \"exclude insecure devices\") will not read the bot or let it read them. Run `peerbot matrix-setup` once and put the recovery key it prints in matrix.recovery_key")
	case a.cfg.RecoveryKey == "":
		a.log.Warn().Str("device_id", device).
			Msg("Matrix device is NOT cross-signed: the account has cross-signing keys but matrix.recovery_key is not set. Set it (or PEERBOT_MATRIX_RECOVERY_KEY) to the key `peerbot matrix-setup` printed; if it is lost, run `peerbot matrix-setup -replace`")
	default:
		if err := a.crypto.Machine().VerifyWithRecoveryKey(ctx, a.cfg.RecoveryKey); err != nil {
			if errors.Is(err, ssss.ErrInvalidRecoveryKey) || errors.Is(err, ssss.ErrIncorrectSSSSKey) ||
				errors.Is(err, ssss.ErrKeyDataMACMismatch) || errors.Is(err, ssss.ErrNotEncryptedForKey) {
				return fmt.Errorf("matrix.recovery_key: it does not open this account's secret storage (%w); use the key `peerbot matrix-setup` printed, or run `peerbot matrix-setup -replace` for a new one", err)
			}
			a.log.Error().Err(err).Str("device_id", device).Msg("Could not cross-sign the Matrix device with the recovery key; clients that exclude unverified devices will not talk to it")
			return nil
		}
		a.crossSigned.Store(true)
		a.log.Info().Str("device_id", device).Msg("Matrix device cross-signed with the recovery key")
	}
	return nil
}

// checkRecoveryKey checks that matrix.recovery_key opens the account's
// default secret storage key.
func (a *Adapter) checkRecoveryKey(ctx context.Context) error {
	keyID, keyData, err := a.crypto.Machine().SSSS.GetDefaultKeyData(ctx)
	if err != nil {
		return fmt.Errorf("read secret storage key: %w", err)
	}
	if _, err := keyData.VerifyRecoveryKey(keyID, a.cfg.RecoveryKey); err != nil && !errors.Is(err, ssss.ErrUnverifiableKey) {
		return err
	}
	return nil
}

// ownSigningStatus asks the homeserver for the account's cross-signing keys
// and this device's keys, and reports whether the account has them and
// whether its self-signing key signs this device. The local store is not
// trusted for this: a failed setup leaves keys in it that the server never
// accepted.
func (a *Adapter) ownSigningStatus(ctx context.Context) (hasKeys, signed bool, err error) {
	own := a.cli.UserID
	resp, err := a.cli.QueryKeys(ctx, &mautrix.ReqQueryKeys{DeviceKeys: mautrix.DeviceKeysRequest{own: mautrix.DeviceIDList{}}})
	if err != nil {
		return false, false, fmt.Errorf("query own keys: %w", err)
	}
	_, hasMaster := resp.MasterKeys[own]
	ssk, hasSelf := resp.SelfSigningKeys[own]
	if !hasMaster || !hasSelf {
		return false, false, nil
	}
	device, ok := resp.DeviceKeys[own][a.cli.DeviceID]
	if !ok {
		return true, false, nil
	}
	key := ssk.FirstKey()
	signed, err = signatures.VerifySignatureJSON(device, own, key.String(), key)
	if err != nil && !errors.Is(err, signatures.ErrSignatureNotFound) {
		return true, false, fmt.Errorf("check own device signature: %w", err)
	}
	return true, signed, nil
}

// SetupCrossSigning (`peerbot matrix-setup`) gives the bot's account a
// cross-signing identity: it generates the keys, stores them in secret
// storage under a new recovery key, uploads them (authorised with the
// account's password, asked from password once the token and the account
// are checked, and used for this request only), and signs the
// bot's device. It returns the recovery key, which nothing stores: the
// operator keeps it and sets matrix.recovery_key. It takes the device lock,
// so it fails while peerbot runs. When the account already has keys, it
// returns ErrCrossSigningExists unless replace is set.
func (a *Adapter) SetupCrossSigning(ctx context.Context, password func() (string, error), replace bool) (string, error) {
	if !a.cfg.EncryptionOn() {
		return "", errors.New("matrix.encryption: cross-signing is for encrypted rooms; it is off")
	}
	if err := a.start(ctx); err != nil {
		return "", err
	}
	if err := a.t.migrate(ctx, a.log.With().Str("db_section", "matrix_tables").Logger()); err != nil {
		return "", err
	}
	lockCtx, stopLock := context.WithCancel(ctx)
	lock, err := acquireLock(lockCtx, a.db, a.cli.DeviceID, a.log)
	if err != nil {
		stopLock()
		return "", err
	}
	defer func() {
		stopLock()
		lock.release()
	}()
	if err := a.setupStores(ctx); err != nil {
		return "", err
	}
	hasKeys, _, err := a.ownSigningStatus(ctx)
	if err != nil {
		return "", fmt.Errorf("matrix setup: %w", err)
	}
	if hasKeys && !replace {
		return "", ErrCrossSigningExists
	}
	pw, err := password()
	if err != nil {
		return "", err
	}
	mach := a.crypto.Machine()
	key, _, err := mach.GenerateAndUploadCrossSigningKeysWithPassword(ctx, pw, "")
	if err != nil {
		var he mautrix.HTTPError
		if errors.As(err, &he) && he.IsStatus(401) {
			return "", fmt.Errorf("matrix setup: the homeserver refused the password for %s: %w", a.cli.UserID, err)
		}
		return "", fmt.Errorf("matrix setup: upload cross-signing keys: %w", err)
	}
	if err := mach.SignOwnDevice(ctx, mach.OwnIdentity()); err != nil {
		return "", fmt.Errorf("matrix setup: sign device %s: %w", a.cli.DeviceID, err)
	}
	if err := mach.SignOwnMasterKey(ctx); err != nil {
		return "", fmt.Errorf("matrix setup: sign master key: %w", err)
	}
	a.crossSigned.Store(true)
	return key, nil
}
