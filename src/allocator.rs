//! The allocator of the `wemi` binary and of the floor benchmark (benches/floor.rs), which
//! includes this file: mimalloc, called directly. Not part of the library, which has no
//! `unsafe` code.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys::{
    mi_free, mi_malloc, mi_malloc_aligned, mi_realloc, mi_realloc_aligned, mi_zalloc,
    mi_zalloc_aligned,
};

/// mimalloc, asked through its plain functions whenever any block of the size asked for has
/// the alignment asked for, as Rust's own allocator asks `malloc`: every block of 16 bytes or
/// more is 16-aligned, every smaller one 8-aligned. Other alignments take its aligned
/// functions. The `mimalloc` crate sends every request through those: a longer path, whose
/// fallback (blocks over 1 KiB, or a free block that happens to be misaligned) over-allocates
/// unless the size is a power of two (purpleprotocol/mimalloc_rust#170). Calling the plain
/// functions saves ~2% of a build's instructions.
pub struct MiMalloc;

/// Whether `mi_malloc(size)` is aligned to `align` (a power of two).
fn plain(align: usize, size: usize) -> bool {
    align <= 16 && align <= size
}

// SAFETY: each function hands the request to mimalloc's matching one, which returns memory
// of at least `size` bytes aligned as asked (`plain` picks the plain function only when its
// blocks are) or null; every pointer freed or reallocated came from mimalloc.
unsafe impl GlobalAlloc for MiMalloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if plain(layout.align(), layout.size()) {
                mi_malloc(layout.size()).cast()
            } else {
                mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if plain(layout.align(), layout.size()) {
                mi_zalloc(layout.size()).cast()
            } else {
                mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: see the impl.
        unsafe { mi_free(ptr.cast::<c_void>()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if plain(layout.align(), new_size) {
                mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `size` bytes at `block` hold 0, 1, 2 … (modulo 256).
    unsafe fn holds_count(block: *const u8, size: usize) -> bool {
        // SAFETY: the caller's block has at least `size` bytes.
        (0..size).all(|i| unsafe { *block.add(i) } == i as u8)
    }

    /// Every size from 1 byte to 64 KiB in uneven steps, with every alignment up to 4 KiB:
    /// each block is aligned, starts zeroed when asked, and keeps what was written when it
    /// grows and when it shrinks.
    #[test]
    fn blocks_are_aligned_as_asked_and_keep_their_bytes() {
        let sizes = (1..=64).chain((65..=65_536).step_by(333));
        for size in sizes {
            for align in (0..=12).map(|shift| 1usize << shift) {
                let layout = |size| Layout::from_size_align(size, align).unwrap();
                let (grown, shrunk) = (size * 3, size / 2 + 1);
                // SAFETY: every layout has a non-zero size; each block is used within its
                // size and freed once, with the layout it has then.
                unsafe {
                    let zeroed = MiMalloc.alloc_zeroed(layout(size));
                    assert_eq!(zeroed as usize % align, 0, "zeroed {size} bytes, {align}");
                    assert!(
                        (0..size).all(|i| *zeroed.add(i) == 0),
                        "{size} bytes, {align}"
                    );
                    MiMalloc.dealloc(zeroed, layout(size));

                    let block = MiMalloc.alloc(layout(size));
                    assert_eq!(block as usize % align, 0, "{size} bytes, {align}");
                    (0..size).for_each(|i| *block.add(i) = i as u8);
                    let block = MiMalloc.realloc(block, layout(size), grown);
                    assert_eq!(block as usize % align, 0, "{size} → {grown}, {align}");
                    assert!(holds_count(block, size), "{size} → {grown}, {align}");
                    (0..grown).for_each(|i| *block.add(i) = i as u8);
                    let block = MiMalloc.realloc(block, layout(grown), shrunk);
                    assert_eq!(block as usize % align, 0, "{grown} → {shrunk}, {align}");
                    assert!(holds_count(block, shrunk), "{grown} → {shrunk}, {align}");
                    MiMalloc.dealloc(block, layout(shrunk));
                }
            }
        }
    }
}
