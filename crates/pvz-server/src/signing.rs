//! The network's signing key, one for every server instance and admin command on a database: it
//! lives in `network_keys` (see `db::network_keys`), not in a data dir. The first start creates it
//! (or imports an older data dir's key file, so kiosks that pinned it keep verifying) in one
//! transaction that inserts without overwriting and reads back, so instances starting at once agree.
//!
//! Rotation is two steps. [`rotate`] creates the next key, endorsed by the active one, and puts the
//! key chain in every point's feed; kiosks check the endorsement with the key they pinned and from
//! then on accept codes signed by either key. Once they have pulled it, [`activate_next`] makes the
//! next key the one that signs. Anything that signs reads the active key in its own transaction,
//! so an activation reaches running servers without a restart.

use crate::db::network_keys::{self, NetworkKeyRow};
use crate::db::Connection;
use crate::db::{self, points};
use crate::error::{Result, ServerError};
use crate::keys::{decode_secret, encode_secret, random_bytes, read_key_file};
use ed25519_dalek::SigningKey;
use pvz_protocol::PublicKey;
use std::path::Path;

/// The active key, creating the first one if the database has none: imported from `data_dir`'s key
/// file when an older release left one, else generated.
pub fn load_or_create(conn: &Connection, data_dir: &Path) -> Result<SigningKey> {
    // IMMEDIATE: a second start waits for the first one's commit, then reads its key.
    let tx = conn.transaction()?;
    if let Some(active) = network_keys::get_active_key(&tx)? {
        tx.commit()?;
        return decode(&active);
    }
    let (key, imported) = match read_key_file(data_dir)? {
        Some(key) => (key, true),
        None => (SigningKey::from_bytes(&random_bytes::<32>()?), false),
    };
    let first = NetworkKeyRow {
        generation: 1,
        secret: encode_secret(&key),
        public_key: PublicKey::of(&key).to_base64url(),
        endorsement: None,
        activated: true,
    };
    let inserted = network_keys::insert_key(&tx, &first, &db::now_text())?;
    // Whoever inserted first, this is the key every instance signs with.
    let active = network_keys::get_active_key(&tx)?
        .ok_or_else(|| ServerError::Internal("no active network key after creating one".into()))?;
    tx.commit()?;
    if inserted {
        tracing::info!(imported, public_key = %active.public_key, "the network's signing key is in the database");
    }
    decode(&active)
}

/// The key that signs now, read in the caller's transaction.
pub fn active_key(conn: &Connection) -> Result<SigningKey> {
    let active = network_keys::get_active_key(conn)?
        .ok_or_else(|| ServerError::Internal("the database has no active network key".into()))?;
    decode(&active)
}

/// The public half of the key that signs now (what a kiosk pins at enrollment).
pub fn active_public_key(conn: &Connection) -> Result<String> {
    Ok(PublicKey::of(&active_key(conn)?).to_base64url())
}

/// What [`rotate`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rotation {
    /// A next key was created and sent to every point's kiosks.
    Created { public_key: String },
    /// A next key was already waiting to be activated; nothing changed.
    AlreadyWaiting { public_key: String },
}

/// Creates the next key, endorsed by the active one, and stamps the key chain on every point's
/// feed. One next key at a time: with one waiting, nothing changes.
pub fn rotate(conn: &Connection) -> Result<Rotation> {
    let tx = conn.transaction()?;
    if let Some(next) = network_keys::get_next_key(&tx)? {
        return Ok(Rotation::AlreadyWaiting { public_key: next.public_key });
    }
    let active = network_keys::get_active_key(&tx)?
        .ok_or_else(|| ServerError::Internal("the database has no active network key".into()))?;
    let key = SigningKey::from_bytes(&random_bytes::<32>()?);
    let public_key = PublicKey::of(&key);
    let next = NetworkKeyRow {
        generation: active.generation + 1,
        secret: encode_secret(&key),
        public_key: public_key.to_base64url(),
        endorsement: Some(PublicKey::endorse(&decode(&active)?, &public_key)),
        activated: false,
    };
    if !network_keys::insert_key(&tx, &next, &db::now_text())? {
        // Another rotation took this generation first: its key is the next one.
        let next = network_keys::get_next_key(&tx)?
            .ok_or_else(|| ServerError::Internal("a rotation's key vanished".into()))?;
        return Ok(Rotation::AlreadyWaiting { public_key: next.public_key });
    }
    points::bump_keys_versions(&tx)?;
    tx.commit()?;
    Ok(Rotation::Created { public_key: next.public_key })
}

/// Makes the waiting next key the one that signs; `None` when no key waits. Kiosks that have not
/// pulled it yet refuse codes signed with it until they do.
pub fn activate_next(conn: &Connection) -> Result<Option<String>> {
    let tx = conn.transaction()?;
    let Some(next) = network_keys::get_next_key(&tx)? else { return Ok(None) };
    network_keys::activate_key(&tx, next.generation, &db::now_text())?;
    tx.commit()?;
    Ok(Some(next.public_key))
}

fn decode(row: &NetworkKeyRow) -> Result<SigningKey> {
    let key = decode_secret(&row.secret)
        .ok_or_else(|| ServerError::Internal(format!("network key {} is not a signing key", row.generation)))?;
    if PublicKey::of(&key).to_base64url() != row.public_key {
        return Err(ServerError::Internal(format!("network key {} does not match its public half", row.generation)));
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pvz_protocol::PickupClaims;

    fn database(dir: &Path) -> Connection {
        db::open_and_migrate(&dir.join(db::DB_FILE)).expect("database")
    }

    #[test]
    fn every_start_on_one_database_gets_the_first_key_and_no_key_file_is_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (one, two) = (database(dir.path()), database(dir.path()));
        let other_dir = tempfile::tempdir().expect("another instance's data dir");
        let first = load_or_create(&one, dir.path()).expect("the first start creates the key");
        let second = load_or_create(&two, other_dir.path()).expect("another instance reads it");
        assert_eq!(first.to_bytes(), second.to_bytes(), "both instances sign with the one key");
        assert!(!dir.path().join(crate::keys::KEY_FILE).exists(), "the key is in the database, not a file");
    }

    #[test]
    fn an_older_data_dirs_key_file_is_imported_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let old = SigningKey::from_bytes(&[3; 32]);
        std::fs::write(dir.path().join(crate::keys::KEY_FILE), encode_secret(&old)).expect("the old key file");
        let conn = database(dir.path());
        let key = load_or_create(&conn, dir.path()).expect("imports");
        assert_eq!(key.to_bytes(), old.to_bytes(), "kiosks that pinned the old key keep verifying");
        std::fs::write(dir.path().join(crate::keys::KEY_FILE), encode_secret(&SigningKey::from_bytes(&[4; 32])))
            .expect("a changed file");
        let again = load_or_create(&conn, dir.path()).expect("reads");
        assert_eq!(again.to_bytes(), old.to_bytes(), "once imported, the database decides, not the file");
    }

    #[test]
    fn a_rotation_endorses_the_next_key_and_activation_switches_signing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let conn = database(dir.path());
        let first = load_or_create(&conn, dir.path()).expect("first key");
        let Rotation::Created { public_key } = rotate(&conn).expect("rotates") else {
            panic!("the first rotation creates a key")
        };
        assert_eq!(
            rotate(&conn).expect("a second rotate"),
            Rotation::AlreadyWaiting { public_key: public_key.clone() },
            "one next key at a time"
        );
        assert_eq!(
            active_key(&conn).expect("active").to_bytes(),
            first.to_bytes(),
            "the first key signs until activation"
        );
        let chain = network_keys::list_public_keys(&conn).expect("chain");
        let next = PublicKey::parse(&public_key).expect("a key");
        let endorsement = chain[1].endorsement.as_deref().expect("the next key is endorsed");
        assert_eq!(PublicKey::of(&first).verify_endorsement(&next, endorsement), Ok(()), "by the active key");

        assert_eq!(activate_next(&conn).expect("activates"), Some(public_key.clone()), "the next key activates");
        assert_eq!(activate_next(&conn).expect("nothing waits"), None, "nothing left to activate");
        let now = active_key(&conn).expect("active");
        assert_eq!(PublicKey::of(&now), next, "the new key signs now");
        let token = PickupClaims {
            order_id: pvz_domain::OrderId::parse("ord-1").expect("id"),
            pickup_point_id: pvz_domain::PickupPointId::parse("pp-1").expect("id"),
            short_code: pvz_domain::ShortCode::parse("123456").expect("code"),
            expires_at: i64::MAX,
        }
        .sign(&now);
        assert!(PickupClaims::verify(&token, &next, 0).is_ok(), "its codes verify with the next key");
    }
}
