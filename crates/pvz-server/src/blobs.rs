//! The blob store: bytes kept by their content, under the sha256 of the bytes (lowercase hex), in a
//! directory (`<data_dir>/blobs` by default) or an S3-compatible bucket (`s3://bucket/prefix`).
//! Storing the same bytes twice stores them once and gives the same id; a blob is never changed,
//! only deleted. It knows nothing of what the bytes are: claim attachments keep their type and
//! uploader in the database, and counter photos will too. Every server instance behind a load
//! balancer must name the same store (a shared bucket, or one directory on shared storage).

use crate::error::{Result, ServerError};
use bytes::Bytes;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, ObjectStoreExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The data dir's sub-directory blobs go to when no `blob_store_url` is configured.
pub const DEFAULT_BLOB_DIR: &str = "blobs";

/// A blob's bytes as they are read: a stream, so a large one is not held in memory while it is sent.
pub type BlobStream = std::pin::Pin<Box<dyn futures_core::Stream<Item = Result<Bytes, object_store::Error>> + Send>>;

/// Where blobs live; cheap to clone (one client shared by every clone).
#[derive(Clone)]
pub struct BlobStore {
    store: Arc<dyn ObjectStore>,
    /// Prepended to every key (the path after the bucket of an `s3://bucket/prefix` URL).
    prefix: Option<StorePath>,
    /// For people and logs: the directory or the URL.
    name: String,
}

impl std::fmt::Debug for BlobStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlobStore").field("name", &self.name).finish_non_exhaustive()
    }
}

impl BlobStore {
    /// The store a config names: `url` unset is `<data_dir>/blobs`; `s3://bucket[/prefix]` is a
    /// bucket, with the credentials, region and endpoint from the usual `AWS_*` environment
    /// (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ENDPOINT` for MinIO and
    /// other S3-compatible stores, `AWS_ALLOW_HTTP=true` for a plain-HTTP endpoint); `file:///dir`
    /// or a plain path is a directory.
    pub fn open(url: Option<&str>, data_dir: &Path) -> Result<BlobStore> {
        match url.map(str::trim).filter(|u| !u.is_empty()) {
            None => BlobStore::directory(data_dir.join(DEFAULT_BLOB_DIR)),
            Some(url) => match url.strip_prefix("s3://") {
                Some(rest) => BlobStore::s3(url, rest),
                None => BlobStore::directory(PathBuf::from(url.strip_prefix("file://").unwrap_or(url))),
            },
        }
    }

    /// Blobs as files under `dir` (created if missing).
    pub fn directory(dir: impl Into<PathBuf>) -> Result<BlobStore> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir)
            .map_err(|e| ServerError::Setup(format!("cannot create the blob directory {}: {e}", dir.display())))?;
        let store = LocalFileSystem::new_with_prefix(&dir)
            .map_err(|e| ServerError::Setup(format!("cannot use {} as the blob directory: {e}", dir.display())))?;
        Ok(BlobStore { store: Arc::new(store), prefix: None, name: dir.display().to_string() })
    }

    /// Blobs in memory, gone when the last clone is dropped: for a state built without a config
    /// (tests calling the router directly). A server started from its config never uses it.
    pub fn in_memory() -> BlobStore {
        BlobStore { store: Arc::new(InMemory::new()), prefix: None, name: "memory".to_owned() }
    }

    /// `bucket[/prefix]` of an `s3://` URL.
    fn s3(url: &str, bucket_and_prefix: &str) -> Result<BlobStore> {
        let (bucket, prefix) = bucket_and_prefix.split_once('/').unwrap_or((bucket_and_prefix, ""));
        if bucket.is_empty() {
            return Err(ServerError::Setup(format!("blob store URL {url:?} names no bucket (s3://bucket/prefix)")));
        }
        let store = AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .build()
            .map_err(|e| ServerError::Setup(format!("cannot use the bucket of {url:?} as the blob store: {e}")))?;
        let prefix = prefix.trim_matches('/');
        let prefix = if prefix.is_empty() {
            None
        } else {
            Some(
                StorePath::parse(prefix)
                    .map_err(|e| ServerError::Setup(format!("blob store URL {url:?} has a bad prefix: {e}")))?,
            )
        };
        Ok(BlobStore { store: Arc::new(store), prefix, name: url.to_owned() })
    }

    /// The directory or URL, for logs and messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `<prefix>/<first two hex digits>/<id>`: the fan-out keeps a directory store's folders small.
    /// `None` for anything that is not a sha256 in lowercase hex, so no id reaches outside the store.
    fn key(&self, id: &str) -> Option<StorePath> {
        if !is_blob_id(id) {
            return None;
        }
        let fanned = format!("{}/{id}", &id[..2]);
        Some(match &self.prefix {
            Some(prefix) => StorePath::from(format!("{prefix}/{fanned}")),
            None => StorePath::from(fanned),
        })
    }

    /// Stores `bytes` unless the store has them already; their id either way.
    pub async fn put(&self, bytes: Bytes) -> Result<String> {
        let id = crate::db::sha256_hex(&bytes);
        let key = self.key(&id).ok_or_else(|| ServerError::Internal(format!("{id} is not a blob id")))?;
        match self.store.head(&key).await {
            Ok(_) => return Ok(id),
            Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => return Err(store_error("look up", &id, e)),
        }
        // Two uploads of the same bytes at once both write; each write is atomic and the bytes are
        // the same, so either outcome is the blob.
        self.store.put(&key, bytes.into()).await.map_err(|e| store_error("store", &id, e))?;
        Ok(id)
    }

    /// The blob's bytes as a stream; `None` when the store does not have it.
    pub async fn get_stream(&self, id: &str) -> Result<Option<BlobStream>> {
        let Some(key) = self.key(id) else { return Ok(None) };
        match self.store.get(&key).await {
            Ok(found) => Ok(Some(found.into_stream())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(store_error("read", id, e)),
        }
    }

    /// The blob's bytes, whole; `None` when the store does not have it.
    pub async fn get(&self, id: &str) -> Result<Option<Bytes>> {
        let Some(key) = self.key(id) else { return Ok(None) };
        match self.store.get(&key).await {
            Ok(found) => Ok(Some(found.bytes().await.map_err(|e| store_error("read", id, e))?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(store_error("read", id, e)),
        }
    }

    /// Removes the blob; one already gone is not an error.
    pub async fn delete(&self, id: &str) -> Result<()> {
        let Some(key) = self.key(id) else { return Ok(()) };
        match self.store.delete(&key).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(store_error("delete", id, e)),
        }
    }

    /// [`BlobStore::delete`] for synchronous callers (admin commands, which run on a blocking
    /// thread or in a test without a runtime); never call it on an async worker.
    pub fn delete_blocking(&self, id: &str) -> Result<()> {
        futures_executor::block_on(self.delete(id))
    }

    /// [`BlobStore::put`] for synchronous callers; never call it on an async worker.
    pub fn put_blocking(&self, bytes: Bytes) -> Result<String> {
        futures_executor::block_on(self.put(bytes))
    }

    /// [`BlobStore::get`] for synchronous callers; never call it on an async worker.
    pub fn get_blocking(&self, id: &str) -> Result<Option<Bytes>> {
        futures_executor::block_on(self.get(id))
    }
}

/// Parts of uploads in progress (counter photos sent part by part): kept in the store itself, so
/// any server instance sharing it can take the next part, under `staging/<id>/<first byte>`, apart
/// from the blobs. A part is written before the upload's progress is recorded in the database; a
/// part of an upload given up stays until [`BlobStore::delete_parts`].
impl BlobStore {
    /// `<prefix>/staging/<id>`, the folder of one upload's parts; `None` for a non-id.
    fn staging(&self, id: &str) -> Option<StorePath> {
        if !is_blob_id(id) {
            return None;
        }
        let folder = format!("{STAGING_DIR}/{id}");
        Some(match &self.prefix {
            Some(prefix) => StorePath::from(format!("{prefix}/{folder}")),
            None => StorePath::from(folder),
        })
    }

    /// The key of the part starting at byte `first`: zero-padded, so the keys sort as the parts do.
    fn part_key(&self, id: &str, first: u64) -> Result<StorePath> {
        let folder = self.staging(id).ok_or_else(|| ServerError::Internal(format!("{id} is not a blob id")))?;
        Ok(folder.join(format!("{first:020}")))
    }

    /// Keeps the part of the upload of `id` that starts at byte `first` (replacing one there).
    pub async fn put_part(&self, id: &str, first: u64, bytes: Bytes) -> Result<()> {
        let key = self.part_key(id, first)?;
        self.store.put(&key, bytes.into()).await.map_err(|e| store_error("store a part of", id, e))?;
        Ok(())
    }

    /// The parts of the upload of `id` from byte 0 to `total`, joined; `None` when one is missing
    /// (a part lost, or parts that do not follow each other).
    pub async fn join_parts(&self, id: &str, total: u64) -> Result<Option<Bytes>> {
        let mut joined = Vec::with_capacity(usize::try_from(total).unwrap_or(0));
        while (joined.len() as u64) < total {
            let key = self.part_key(id, joined.len() as u64)?;
            let part = match self.store.get(&key).await {
                Ok(found) => found.bytes().await.map_err(|e| store_error("read a part of", id, e))?,
                Err(object_store::Error::NotFound { .. }) => return Ok(None),
                Err(e) => return Err(store_error("read a part of", id, e)),
            };
            if part.is_empty() {
                return Ok(None);
            }
            joined.extend_from_slice(&part);
        }
        Ok((joined.len() as u64 == total).then(|| Bytes::from(joined)))
    }

    /// Removes every part of the upload of `id`; none there is not an error.
    pub async fn delete_parts(&self, id: &str) -> Result<()> {
        let Some(folder) = self.staging(id) else { return Ok(()) };
        let mut listed = self.store.list(Some(&folder));
        while let Some(meta) = std::future::poll_fn(|cx| listed.as_mut().poll_next(cx)).await {
            let meta = meta.map_err(|e| store_error("list the parts of", id, e))?;
            match self.store.delete(&meta.location).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(store_error("delete a part of", id, e)),
            }
        }
        Ok(())
    }
}

/// The folder of the parts of uploads in progress, beside the blobs' two-digit folders.
pub const STAGING_DIR: &str = "staging";

/// Whether `id` can name a blob: 64 lowercase hex digits.
pub fn is_blob_id(id: &str) -> bool {
    id.len() == 64 && id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A store failure: the store's words go to the log (through `Internal`), never to a client.
fn store_error(action: &str, id: &str, e: object_store::Error) -> ServerError {
    ServerError::Internal(format!("blob store: cannot {action} {id}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_bytes_are_stored_once_under_their_sha256() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = BlobStore::open(None, dir.path()).expect("a directory store");
        let id = store.put_blocking(Bytes::from_static(b"hello")).expect("put");
        assert_eq!(id, crate::db::sha256_hex(b"hello"), "the id is the sha256 of the bytes");
        assert_eq!(store.put_blocking(Bytes::from_static(b"hello")).expect("again"), id, "same bytes, same id");
        let file = dir.path().join(DEFAULT_BLOB_DIR).join(&id[..2]).join(&id);
        assert_eq!(std::fs::read(&file).expect("the file"), b"hello", "one file under the data dir's blobs");
        assert_eq!(store.get_blocking(&id).expect("get").as_deref(), Some(&b"hello"[..]), "read back");
        store.delete_blocking(&id).expect("delete");
        assert!(store.get_blocking(&id).expect("get").is_none(), "gone after delete");
        store.delete_blocking(&id).expect("deleting a missing blob is not an error");
        assert!(store.get_blocking("../../etc/passwd").expect("get").is_none(), "a non-id names no blob");
    }

    #[test]
    fn a_blob_store_url_names_a_directory_or_a_bucket() {
        let dir = tempfile::tempdir().expect("temp dir");
        let other = dir.path().join("elsewhere");
        let store = BlobStore::open(Some(&format!("file://{}", other.display())), dir.path()).expect("file URL");
        assert_eq!(store.name(), other.display().to_string(), "a file URL is that directory");
        assert!(other.is_dir(), "created");
        assert!(BlobStore::open(Some("s3://"), dir.path()).is_err(), "an s3 URL without a bucket is refused");
        let bucket = BlobStore::open(Some("s3://claims-bucket/pvz/blobs/"), dir.path()).expect("an s3 URL");
        let key = bucket.key(&"a".repeat(64)).expect("a key").to_string();
        assert_eq!(key, format!("pvz/blobs/aa/{}", "a".repeat(64)), "keys go under the URL's prefix");
    }
}
