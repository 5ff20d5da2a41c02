//! One file's writes since its last fsync, kept in memory like dirty pages in the page cache: reads
//! see them, the file on disk does not get them until [`Overlay::flush`] (the fsync), and dropping
//! the overlay is what a power cut does to them. Pure logic over a [`RealFile`], so it is tested
//! without SQLite.

use std::collections::BTreeMap;

/// The unit of dirty data, as the kernel's page. A partial write loads its whole chunk first, so a
/// chunk dropped at a cut reverts entirely to what was synced: SQLite's "powersafe overwrite" holds.
pub const CHUNK: u64 = 4096;

/// The synced file underneath, as seen through the wrapped VFS. Errors are SQLite result codes.
pub trait RealFile {
    /// Fills `buf` from `offset`; bytes past the end read as zeros, and then it answers `true`.
    fn read(&mut self, offset: u64, buf: &mut [u8]) -> Result<bool, i32>;
    fn write(&mut self, offset: u64, data: &[u8]) -> Result<(), i32>;
    fn truncate(&mut self, size: u64) -> Result<(), i32>;
    fn size(&mut self) -> Result<u64, i32>;
}

pub struct Overlay {
    chunks: BTreeMap<u64, Box<[u8]>>,
    /// The file's length as readers see it.
    size: u64,
    /// How much of the real file still counts: the shortest it was truncated to since the last
    /// sync (bytes beyond read as zeros even if the disk still has them).
    base_len: u64,
}

impl Overlay {
    /// An overlay with nothing unsynced over a real file of `real_len` bytes.
    pub fn new(real_len: u64) -> Overlay {
        Overlay { chunks: BTreeMap::new(), size: real_len, base_len: real_len }
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// Bytes held back from the disk.
    pub fn unsynced_bytes(&self) -> usize {
        self.chunks.len() * CHUNK as usize
    }

    /// Reads as the file is now. Returns whether the read ran past the end (the rest zero-filled),
    /// which SQLite wants reported as a short read.
    pub fn read(&self, real: &mut dyn RealFile, offset: u64, buf: &mut [u8]) -> Result<bool, i32> {
        let end = offset + buf.len() as u64;
        let mut pos = offset;
        while pos < end {
            let index = pos / CHUNK;
            let upto = ((index + 1) * CHUNK).min(end);
            let out = &mut buf[(pos - offset) as usize..(upto - offset) as usize];
            match self.chunks.get(&index) {
                Some(chunk) => {
                    out.copy_from_slice(&chunk[(pos - index * CHUNK) as usize..(upto - index * CHUNK) as usize])
                }
                None => self.read_base(real, pos, out)?,
            }
            pos = upto;
        }
        Ok(end > self.size)
    }

    pub fn write(&mut self, real: &mut dyn RealFile, offset: u64, data: &[u8]) -> Result<(), i32> {
        let end = offset + data.len() as u64;
        let mut pos = offset;
        while pos < end {
            let index = pos / CHUNK;
            let upto = ((index + 1) * CHUNK).min(end);
            if !self.chunks.contains_key(&index) {
                let mut chunk = vec![0u8; CHUNK as usize].into_boxed_slice();
                self.read_base(real, index * CHUNK, &mut chunk)?;
                self.chunks.insert(index, chunk);
            }
            let chunk = self.chunks.get_mut(&index).expect("the chunk was just loaded");
            chunk[(pos - index * CHUNK) as usize..(upto - index * CHUNK) as usize]
                .copy_from_slice(&data[(pos - offset) as usize..(upto - offset) as usize]);
            pos = upto;
        }
        self.size = self.size.max(end);
        Ok(())
    }

    pub fn truncate(&mut self, size: u64) {
        self.chunks.retain(|index, _| index * CHUNK < size);
        if let Some(chunk) = self.chunks.get_mut(&(size / CHUNK)) {
            chunk[(size % CHUNK) as usize..].fill(0);
        }
        self.size = size;
        self.base_len = self.base_len.min(size);
    }

    /// Writes everything held back to the real file and gives it the length readers see; the
    /// caller then fsyncs it. The overlay is empty afterwards.
    pub fn flush(&mut self, real: &mut dyn RealFile) -> Result<(), i32> {
        if real.size()? > self.base_len {
            real.truncate(self.base_len)?;
        }
        for (index, chunk) in &self.chunks {
            let start = index * CHUNK;
            let len = (self.size.saturating_sub(start)).min(CHUNK) as usize;
            if len > 0 {
                real.write(start, &chunk[..len])?;
            }
        }
        if real.size()? != self.size {
            real.truncate(self.size)?;
        }
        *self = Overlay::new(self.size);
        Ok(())
    }

    /// At a cut, the dirty chunks the kernel might have written back on its own before the power
    /// went: `keep(index)` picks them, and they reach the real file (no fsync; nothing runs after).
    pub fn write_back_some(&self, real: &mut dyn RealFile, mut keep: impl FnMut() -> bool) -> Result<(), i32> {
        for (index, chunk) in &self.chunks {
            let start = index * CHUNK;
            let len = (self.size.saturating_sub(start)).min(CHUNK) as usize;
            if len > 0 && keep() {
                real.write(start, &chunk[..len])?;
            }
        }
        Ok(())
    }

    /// The real file's bytes that still count, zeros past them.
    fn read_base(&self, real: &mut dyn RealFile, offset: u64, out: &mut [u8]) -> Result<(), i32> {
        out.fill(0);
        let valid = self.base_len.saturating_sub(offset).min(out.len() as u64) as usize;
        if valid > 0 {
            real.read(offset, &mut out[..valid])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Mem(Vec<u8>);

    impl RealFile for Mem {
        fn read(&mut self, offset: u64, buf: &mut [u8]) -> Result<bool, i32> {
            buf.fill(0);
            let start = (offset as usize).min(self.0.len());
            let end = (offset as usize + buf.len()).min(self.0.len());
            buf[..end - start].copy_from_slice(&self.0[start..end]);
            Ok(end - start < buf.len())
        }
        fn write(&mut self, offset: u64, data: &[u8]) -> Result<(), i32> {
            let end = offset as usize + data.len();
            if self.0.len() < end {
                self.0.resize(end, 0);
            }
            self.0[offset as usize..end].copy_from_slice(data);
            Ok(())
        }
        fn truncate(&mut self, size: u64) -> Result<(), i32> {
            self.0.resize(size as usize, 0);
            Ok(())
        }
        fn size(&mut self) -> Result<u64, i32> {
            Ok(self.0.len() as u64)
        }
    }

    fn read_all(overlay: &Overlay, real: &mut Mem) -> Vec<u8> {
        let mut buf = vec![0u8; overlay.size() as usize];
        let short = overlay.read(real, 0, &mut buf).expect("read");
        assert!(!short, "reading exactly the file's length is not short");
        buf
    }

    #[test]
    fn unsynced_writes_are_seen_but_stay_off_the_disk_until_flushed() {
        let mut real = Mem(vec![1; 5000]);
        let mut overlay = Overlay::new(5000);
        overlay.write(&mut real, 4090, &[9; 20]).expect("write across a chunk boundary");
        overlay.write(&mut real, 9000, &[7; 3]).expect("write past the end");
        let seen = read_all(&overlay, &mut real);
        assert_eq!(seen.len(), 9003, "the file grew for readers");
        assert_eq!(&seen[4089..4111], &[&[1u8][..], &[9; 20], &[1]].concat()[..], "the write is seen in place");
        assert!(seen[5000..9000].iter().all(|b| *b == 0), "the gap past the old end reads as zeros");
        assert_eq!(real.0, vec![1; 5000], "the disk has none of it before the flush");
        overlay.flush(&mut real).expect("flush");
        assert_eq!(real.0, seen, "after the flush the disk holds exactly what readers saw");
        assert_eq!(overlay.unsynced_bytes(), 0, "nothing is held back after a flush");
    }

    #[test]
    fn a_truncation_then_regrowth_does_not_resurrect_old_bytes() {
        let mut real = Mem(vec![5; 10000]);
        let mut overlay = Overlay::new(10000);
        overlay.truncate(100);
        overlay.write(&mut real, 8000, &[6; 4]).expect("write");
        let seen = read_all(&overlay, &mut real);
        assert!(seen[100..8000].iter().all(|b| *b == 0), "bytes cut off by the truncation stay zero");
        let mut past = [1u8; 8];
        assert!(overlay.read(&mut real, 8000, &mut past).expect("read"), "a read past the end is short");
        assert_eq!(past, [6, 6, 6, 6, 0, 0, 0, 0], "and zero-filled");
        overlay.flush(&mut real).expect("flush");
        assert_eq!(real.0, seen, "the disk matches after the flush");
    }
}
