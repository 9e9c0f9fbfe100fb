// SPDX-License-Identifier: GPL-2.0-only
//! Red-black trees: [`RBTree`], a map sorted by key over the kernel's
//! `struct rb_root` and `struct rb_node` (`include/linux/rbtree.h`).
//!
//! Keys are compared in Rust (`K: Ord`); linking, rebalancing, erasing and
//! stepping from node to node are lib/rbtree.c's. Every entry lives in a
//! [`KBox`] of its own. The allocation is the only step that can fail, and
//! it can be done ahead ([`RBTreeNode::new`], [`RBTreeNodeReservation::new`])
//! so that the insertion itself, under a spinlock say, neither allocates
//! nor fails.
//!
//! ```ignore
//! let mut tree = RBTree::new();
//! tree.try_create_and_insert(2, "two", GFP_KERNEL)?;
//! tree.try_create_and_insert(1, "one", GFP_KERNEL)?;
//! assert_eq!(tree.get(&1), Some(&"one"));
//! for (key, value) in &tree {
//!     pr_info!("{key}: {value}\n"); // 1 first, then 2
//! }
//! ```

use crate::{alloc::Flags, bindings, container_of, error::Result, prelude::*};
use core::{
    cmp::Ordering,
    marker::PhantomData,
    mem::MaybeUninit,
    ptr::{self, addr_of_mut, NonNull},
};

/// One entry of a tree: the C links followed by the key and the value.
struct Node<K, V> {
    links: bindings::rb_node,
    key: K,
    value: V,
}

impl<K, V> Node<K, V> {
    /// The node holding `links`.
    ///
    /// # Safety
    ///
    /// `links` points to the `links` field of a `Node<K, V>`.
    unsafe fn of(links: *mut bindings::rb_node) -> *mut Self {
        // SAFETY: `links` is a field of a `Node<K, V>` (the caller's
        // promise), so stepping back to its start stays in that node.
        unsafe { container_of!(links, Self, links) }
    }

    /// Pointers to the key and the value of the node holding `links`.
    ///
    /// # Safety
    ///
    /// `links` points to the `links` field of a live `Node<K, V>`.
    unsafe fn parts(links: NonNull<bindings::rb_node>) -> (*mut K, *mut V) {
        // SAFETY: the caller's promise.
        let node = unsafe { Self::of(links.as_ptr()) };
        // SAFETY: `node` is live; no reference is made.
        unsafe { (addr_of_mut!((*node).key), addr_of_mut!((*node).value)) }
    }

    /// Unlinked links: `rb_link_node` or `rb_replace_node` sets all of
    /// them when the node enters a tree.
    const fn unlinked() -> bindings::rb_node {
        bindings::rb_node {
            __rb_parent_color: 0,
            rb_right: ptr::null_mut(),
            rb_left: ptr::null_mut(),
        }
    }
}

/// A map from `K` to `V`, sorted by key, over the kernel's red-black trees.
///
/// Lookups take O(log n) comparisons; each entry is a separate [`KBox`]
/// allocation, freed when the entry is removed or the tree dropped.
///
/// # Invariants
///
/// `root` is a valid C red-black tree. Each of its `rb_node`s is the
/// `links` field of a `Node<K, V>` that the tree owns, allocated by
/// [`KBox`] (and leaked into the tree with [`KBox::into_raw`]); in-order,
/// the nodes' keys are strictly increasing.
pub struct RBTree<K, V> {
    root: bindings::rb_root,
    _nodes: PhantomData<Node<K, V>>,
}

// SAFETY: the tree owns its keys and values and hands out references to
// them as a struct with `K` and `V` fields would; sending the tree sends
// them.
unsafe impl<K: Send, V: Send> Send for RBTree<K, V> {}

// SAFETY: through `&RBTree` only shared references to keys and values are
// reachable, as through a `&` of a struct with `K` and `V` fields.
unsafe impl<K: Sync, V: Sync> Sync for RBTree<K, V> {}

impl<K, V> RBTree<K, V> {
    /// An empty tree; allocates nothing.
    pub fn new() -> Self {
        // INVARIANT: the empty tree has no nodes.
        Self {
            root: bindings::rb_root {
                rb_node: ptr::null_mut(),
            },
            _nodes: PhantomData,
        }
    }

    /// Whether the tree holds no entry.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.root.rb_node.is_null()
    }

    /// The entries, by increasing key.
    pub fn iter(&self) -> Iter<'_, K, V> {
        Iter {
            raw: RawIter::new(&self.root),
            _tree: PhantomData,
        }
    }

    /// The entries by increasing key, with mutable values.
    pub fn iter_mut(&mut self) -> IterMut<'_, K, V> {
        IterMut {
            raw: RawIter::new(&self.root),
            _tree: PhantomData,
        }
    }

    /// The keys, in increasing order.
    pub fn keys(&self) -> impl Iterator<Item = &'_ K> {
        self.iter().map(|(key, _)| key)
    }

    /// The values, by increasing key.
    pub fn values(&self) -> impl Iterator<Item = &'_ V> {
        self.iter().map(|(_, value)| value)
    }

    /// The values by increasing key, mutable.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &'_ mut V> {
        self.iter_mut().map(|(_, value)| value)
    }

    /// A cursor on the entry with the smallest key; `None` if empty.
    pub fn cursor_front(&self) -> Option<Cursor<'_, K, V>> {
        // SAFETY: `self.root` is a valid tree (type invariant).
        let first = unsafe { bindings::rb_first(&self.root) };
        Cursor::at(first)
    }

    /// A cursor on the entry with the largest key; `None` if empty.
    pub fn cursor_back(&self) -> Option<Cursor<'_, K, V>> {
        // SAFETY: `self.root` is a valid tree (type invariant).
        let last = unsafe { bindings::rb_last(&self.root) };
        Cursor::at(last)
    }

    /// A cursor that can change the tree, on the entry with the smallest
    /// key; `None` if empty.
    pub fn cursor_front_mut(&mut self) -> Option<CursorMut<'_, K, V>> {
        // SAFETY: `self.root` is a valid tree (type invariant).
        let first = unsafe { bindings::rb_first(&self.root) };
        CursorMut::at(self, first)
    }

    /// A cursor that can change the tree, on the entry with the largest
    /// key; `None` if empty.
    pub fn cursor_back_mut(&mut self) -> Option<CursorMut<'_, K, V>> {
        // SAFETY: `self.root` is a valid tree (type invariant).
        let last = unsafe { bindings::rb_last(&self.root) };
        CursorMut::at(self, last)
    }
}

/// Where a key was found in a tree, or where it would be linked.
enum Slot {
    /// The links of the node with an equal key.
    Found(NonNull<bindings::rb_node>),
    /// No node has the key: a new node would be linked into `link`, a
    /// child pointer of `parent` (for an empty tree, `parent` is null and
    /// `link` is the root's pointer).
    Free {
        parent: *mut bindings::rb_node,
        link: *mut *mut bindings::rb_node,
    },
}

impl<K: Ord, V> RBTree<K, V> {
    /// Walks down from `root` to `key`.
    ///
    /// # Safety
    ///
    /// `root` points to the root of an `RBTree<K, V>`, live and unchanged
    /// during the call. The pointers returned may be written through only
    /// if `root` allows it.
    unsafe fn locate(root: *mut bindings::rb_root, key: &K) -> Slot {
        let mut parent = ptr::null_mut();
        // SAFETY: `root` is valid (the caller's promise).
        let mut link = unsafe { addr_of_mut!((*root).rb_node) };
        loop {
            // SAFETY: `link` is the root's pointer or a child pointer of a
            // node of the tree, all valid.
            let Some(here) = NonNull::new(unsafe { *link }) else {
                return Slot::Free { parent, link };
            };
            // SAFETY: every node of the tree is in a live `Node<K, V>`
            // (type invariant); only the key is read.
            let here_key = unsafe { &*Node::<K, V>::parts(here).0 };
            let node = here.as_ptr();
            link = match key.cmp(here_key) {
                // SAFETY: `node` is a valid node of the tree.
                Ordering::Less => unsafe { addr_of_mut!((*node).rb_left) },
                // SAFETY: as above.
                Ordering::Greater => unsafe { addr_of_mut!((*node).rb_right) },
                Ordering::Equal => return Slot::Found(here),
            };
            parent = node;
        }
    }

    /// The links of the node with the smallest key not less than `key`.
    fn lower_bound(&self, key: &K) -> Option<NonNull<bindings::rb_node>> {
        let mut best = None;
        let mut here = self.root.rb_node;
        while let Some(node) = NonNull::new(here) {
            // SAFETY: every node of the tree is in a live `Node<K, V>`
            // (type invariant), not changed while `self` is borrowed.
            let node_key = unsafe { &*Node::<K, V>::parts(node).0 };
            // SAFETY: `node` is a valid node of the tree.
            let links = unsafe { &*node.as_ptr() };
            here = match key.cmp(node_key) {
                Ordering::Equal => return Some(node),
                // The left subtree holds only keys smaller than `node`'s,
                // so a candidate found there beats this one.
                Ordering::Less => {
                    best = Some(node);
                    links.rb_left
                }
                Ordering::Greater => links.rb_right,
            };
        }
        best
    }

    /// The entry for `key`: vacant, remembering where `key` goes, or
    /// occupied, with the node found.
    fn raw_entry(&mut self, key: &K) -> RawEntry<'_, K, V> {
        let root = addr_of_mut!(self.root);
        // SAFETY: `root` is this tree's, borrowed mutably for the result.
        match unsafe { Self::locate(root, key) } {
            Slot::Found(links) => RawEntry::Occupied(OccupiedEntry {
                rbtree: self,
                node_links: links.as_ptr(),
            }),
            // INVARIANT: `locate` found where `key` belongs.
            Slot::Free { parent, link } => RawEntry::Vacant(RawVacantEntry {
                root,
                parent,
                link,
                _tree: PhantomData,
            }),
        }
    }

    /// Allocates a node for `key` and `value` with `flags` and inserts it
    /// as [`RBTree::insert`] does. Fails only if the allocation does.
    pub fn try_create_and_insert(
        &mut self,
        key: K,
        value: V,
        flags: Flags,
    ) -> Result<Option<RBTreeNode<K, V>>> {
        let node = RBTreeNode::new(key, value, flags)?;
        Ok(self.insert(node))
    }

    /// Inserts `node`, which cannot fail. If an entry had the same key, it
    /// is replaced and returned.
    pub fn insert(&mut self, node: RBTreeNode<K, V>) -> Option<RBTreeNode<K, V>> {
        match self.raw_entry(&node.node.key) {
            RawEntry::Occupied(old) => Some(old.replace(node)),
            RawEntry::Vacant(slot) => {
                slot.link(node);
                None
            }
        }
    }

    /// The entry of `key`, to look at, insert or remove.
    pub fn entry(&mut self, key: K) -> Entry<'_, K, V> {
        match self.raw_entry(&key) {
            RawEntry::Occupied(entry) => Entry::Occupied(entry),
            RawEntry::Vacant(raw) => Entry::Vacant(VacantEntry { key, raw }),
        }
    }

    /// The occupied entry of `key`, if any.
    pub fn find_mut(&mut self, key: &K) -> Option<OccupiedEntry<'_, K, V>> {
        match self.raw_entry(key) {
            RawEntry::Occupied(entry) => Some(entry),
            RawEntry::Vacant(_) => None,
        }
    }

    /// The value of `key`, if any.
    pub fn get(&self, key: &K) -> Option<&V> {
        let root = ptr::from_ref(&self.root).cast_mut();
        // SAFETY: `root` is this tree's, unchanged while `self` is
        // borrowed; nothing is written through the result.
        match unsafe { Self::locate(root, key) } {
            // SAFETY: a node of the tree (type invariant), shared for as
            // long as `self` is.
            Slot::Found(links) => Some(unsafe { &*Node::<K, V>::parts(links).1 }),
            Slot::Free { .. } => None,
        }
    }

    /// The value of `key`, mutable, if any.
    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        self.find_mut(key).map(OccupiedEntry::into_mut)
    }

    /// Takes the entry of `key` out of the tree, if any, as a node that
    /// can be inserted again without allocating.
    pub fn remove_node(&mut self, key: &K) -> Option<RBTreeNode<K, V>> {
        self.find_mut(key).map(OccupiedEntry::remove_node)
    }

    /// Removes the entry of `key`, if any, and returns its value; the
    /// node is freed.
    pub fn remove(&mut self, key: &K) -> Option<V> {
        self.find_mut(key).map(OccupiedEntry::remove)
    }

    /// A cursor on the entry with the smallest key not less than `key`;
    /// `None` if every key is less.
    pub fn cursor_lower_bound(&self, key: &K) -> Option<Cursor<'_, K, V>> {
        Cursor::at(self.lower_bound(key)?.as_ptr())
    }

    /// A cursor that can change the tree, on the entry with the smallest
    /// key not less than `key`; `None` if every key is less.
    pub fn cursor_lower_bound_mut(&mut self, key: &K) -> Option<CursorMut<'_, K, V>> {
        let found = self.lower_bound(key)?;
        CursorMut::at(self, found.as_ptr())
    }
}

impl<K, V> Default for RBTree<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K, V> Drop for RBTree<K, V> {
    fn drop(&mut self) {
        // Post-order visits children before their parent, so a node can
        // be freed as soon as the walk has stepped past it.
        // SAFETY: `self.root` is a valid tree (type invariant).
        let mut next = unsafe { bindings::rb_first_postorder(&self.root) };
        while !next.is_null() {
            let links = next;
            // SAFETY: `links` is a node of the tree not yet freed (the
            // nodes after it in post-order are not freed either).
            next = unsafe { bindings::rb_next_postorder(links) };
            // SAFETY: the tree owns the node, a `KBox` leaked into it
            // (type invariant); it is not reached again.
            drop(unsafe { KBox::from_raw(Node::<K, V>::of(links)) });
        }
    }
}

impl<'a, K, V> IntoIterator for &'a RBTree<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, K, V> IntoIterator for &'a mut RBTree<K, V> {
    type Item = (&'a K, &'a mut V);
    type IntoIter = IterMut<'a, K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

/// An in-order walk of a tree that yields raw pointers to keys and values.
///
/// # Invariants
///
/// `next` is null or a node of an `RBTree<K, V>` that outlives the walk
/// and is not changed during it.
struct RawIter<K, V> {
    next: *mut bindings::rb_node,
    _entries: PhantomData<fn() -> (K, V)>,
}

impl<K, V> RawIter<K, V> {
    /// A walk from the first node of `root`, an `RBTree<K, V>`'s root
    /// that the caller keeps borrowed (and unchanged) while it walks.
    fn new(root: &bindings::rb_root) -> Self {
        // INVARIANT: `rb_first` returns a node of the tree, or null.
        // SAFETY: `root` is an `RBTree`'s, a valid tree.
        let next = unsafe { bindings::rb_first(root) };
        Self {
            next,
            _entries: PhantomData,
        }
    }
}

impl<K, V> Iterator for RawIter<K, V> {
    type Item = (*mut K, *mut V);

    fn next(&mut self) -> Option<Self::Item> {
        let here = NonNull::new(self.next)?;
        // INVARIANT: `rb_next` returns the following node or null.
        // SAFETY: `here` is a node of the tree (type invariant).
        self.next = unsafe { bindings::rb_next(here.as_ptr()) };
        // SAFETY: every node of the tree is in a live `Node<K, V>`.
        Some(unsafe { Node::<K, V>::parts(here) })
    }
}

/// The entries of an [`RBTree`] by increasing key: [`RBTree::iter`].
pub struct Iter<'a, K, V> {
    raw: RawIter<K, V>,
    _tree: PhantomData<&'a RBTree<K, V>>,
}

// SAFETY: an `Iter` gives out only `&K` and `&V`, which may be sent to
// another thread when `K` and `V` are `Sync`.
unsafe impl<'a, K: Sync, V: Sync> Send for Iter<'a, K, V> {}

// SAFETY: a shared `Iter` gives access to nothing at all; the bounds are
// those of the references it yields, as upstream's.
unsafe impl<'a, K: Sync, V: Sync> Sync for Iter<'a, K, V> {}

impl<'a, K, V> Iterator for Iter<'a, K, V> {
    type Item = (&'a K, &'a V);

    fn next(&mut self) -> Option<Self::Item> {
        let (key, value) = self.raw.next()?;
        // SAFETY: the tree is borrowed shared for `'a`, so its entries
        // live and stay unchanged that long.
        Some(unsafe { (&*key, &*value) })
    }
}

/// The entries of an [`RBTree`] by increasing key, with mutable values:
/// [`RBTree::iter_mut`].
pub struct IterMut<'a, K, V> {
    raw: RawIter<K, V>,
    _tree: PhantomData<&'a mut RBTree<K, V>>,
}

// SAFETY: an `IterMut` holds the tree's exclusive borrow; like a
// `&mut` of the entries, it may go to another thread if they may.
unsafe impl<'a, K: Send, V: Send> Send for IterMut<'a, K, V> {}

// SAFETY: a shared `IterMut` gives access to nothing; `Sync` entries make
// it safe to share in any case.
unsafe impl<'a, K: Sync, V: Sync> Sync for IterMut<'a, K, V> {}

impl<'a, K, V> Iterator for IterMut<'a, K, V> {
    type Item = (&'a K, &'a mut V);

    fn next(&mut self) -> Option<Self::Item> {
        let (key, value) = self.raw.next()?;
        // SAFETY: the tree is borrowed exclusively for `'a` and each entry
        // is yielded once, so the `&mut V`s never alias.
        Some(unsafe { (&*key, &mut *value) })
    }
}

/// Memory for one tree entry, allocated ahead so that a later insertion
/// neither allocates nor fails.
pub struct RBTreeNodeReservation<K, V> {
    node: KBox<MaybeUninit<Node<K, V>>>,
}

// SAFETY: a reservation holds no key or value, only memory, which any
// thread may own.
unsafe impl<K, V> Send for RBTreeNodeReservation<K, V> {}

// SAFETY: as for `Send`: there is nothing in it to share.
unsafe impl<K, V> Sync for RBTreeNodeReservation<K, V> {}

impl<K, V> RBTreeNodeReservation<K, V> {
    /// Allocates the memory of one entry with `flags`.
    pub fn new(flags: Flags) -> Result<RBTreeNodeReservation<K, V>> {
        Ok(Self {
            node: KBox::new_uninit(flags)?,
        })
    }

    /// Fills the reservation with `key` and `value`; no allocation.
    pub fn into_node(self, key: K, value: V) -> RBTreeNode<K, V> {
        let node = Node {
            links: Node::<K, V>::unlinked(),
            key,
            value,
        };
        RBTreeNode {
            node: KBox::write(self.node, node),
        }
    }
}

/// A tree entry outside any tree: ready to be inserted without allocating,
/// or what a removal or a replacement gave back.
pub struct RBTreeNode<K, V> {
    node: KBox<Node<K, V>>,
}

// SAFETY: the node owns its key and value: it may move to another thread
// when they may.
unsafe impl<K: Send, V: Send> Send for RBTreeNode<K, V> {}

// SAFETY: a shared node gives no access to its key or value (its links
// are not reachable); sharing `K` and `V` is allowed by `Sync`.
unsafe impl<K: Sync, V: Sync> Sync for RBTreeNode<K, V> {}

impl<K, V> RBTreeNode<K, V> {
    /// Allocates an entry for `key` and `value` with `flags`.
    pub fn new(key: K, value: V, flags: Flags) -> Result<RBTreeNode<K, V>> {
        Ok(RBTreeNodeReservation::new(flags)?.into_node(key, value))
    }

    /// The key and the value; the memory is freed.
    pub fn to_key_value(self) -> (K, V) {
        let Node { key, value, .. } = KBox::into_inner(self.node);
        (key, value)
    }

    /// Drops the key and the value and keeps the memory for another entry.
    pub fn into_reservation(self) -> RBTreeNodeReservation<K, V> {
        RBTreeNodeReservation {
            node: KBox::drop_contents(self.node),
        }
    }
}

/// The entry of one key in an [`RBTree`]: [`RBTree::entry`].
pub enum Entry<'a, K, V> {
    /// No entry has the key.
    Vacant(VacantEntry<'a, K, V>),
    /// An entry has the key.
    Occupied(OccupiedEntry<'a, K, V>),
}

/// The result of a lookup, before the key is known to be needed.
enum RawEntry<'a, K, V> {
    Vacant(RawVacantEntry<'a, K, V>),
    Occupied(OccupiedEntry<'a, K, V>),
}

/// Where a new node goes in a tree borrowed for `'a`.
///
/// # Invariants
///
/// `root` is the root of an `RBTree<K, V>` borrowed exclusively for `'a`;
/// `link`, null, is the root's pointer (`parent` null) or a child pointer
/// of `parent`, a node of that tree; a key that belongs there keeps the
/// tree sorted.
struct RawVacantEntry<'a, K, V> {
    root: *mut bindings::rb_root,
    parent: *mut bindings::rb_node,
    link: *mut *mut bindings::rb_node,
    _tree: PhantomData<&'a mut RBTree<K, V>>,
}

impl<'a, K, V> RawVacantEntry<'a, K, V> {
    /// Links `node`, whose key belongs here, into the tree.
    fn link(self, node: RBTreeNode<K, V>) -> &'a mut V {
        // INVARIANT: the tree takes over the box; its key keeps the tree
        // sorted (type invariant).
        let node = KBox::into_raw(node.node);
        // SAFETY: `node` is live (leaked above); no reference is made.
        let links = unsafe { addr_of_mut!((*node).links) };
        // SAFETY: `link` is a null child pointer of `parent` (or the
        // root's, `parent` null) in a tree borrowed exclusively (type
        // invariant): what `rb_link_node` needs. `rb_insert_color` then
        // rebalances the same tree.
        unsafe {
            bindings::rb_link_node(links, self.parent, self.link);
            bindings::rb_insert_color(links, self.root);
        }
        // SAFETY: the node now belongs to the tree, borrowed for `'a`.
        unsafe { &mut (*node).value }
    }
}

/// A key that no entry of the tree has: [`Entry::Vacant`].
pub struct VacantEntry<'a, K, V> {
    key: K,
    raw: RawVacantEntry<'a, K, V>,
}

impl<'a, K, V> VacantEntry<'a, K, V> {
    /// Inserts the key with `value` in the memory of `reservation`; no
    /// allocation. Returns the value in the tree.
    pub fn insert(self, value: V, reservation: RBTreeNodeReservation<K, V>) -> &'a mut V {
        self.raw.link(reservation.into_node(self.key, value))
    }
}

/// An entry of the tree: [`Entry::Occupied`], [`RBTree::find_mut`].
///
/// # Invariants
///
/// `node_links` is a node of `rbtree`.
pub struct OccupiedEntry<'a, K, V> {
    rbtree: &'a mut RBTree<K, V>,
    node_links: *mut bindings::rb_node,
}

impl<'a, K, V> OccupiedEntry<'a, K, V> {
    /// The entry's node.
    fn node(&self) -> *mut Node<K, V> {
        // SAFETY: `node_links` is a node of the tree (type invariant), so
        // in a `Node<K, V>`.
        unsafe { Node::of(self.node_links) }
    }

    /// The value.
    pub fn get(&self) -> &V {
        // SAFETY: the node is live (type invariant); `&self` gives shared
        // access to the tree.
        unsafe { &(*self.node()).value }
    }

    /// The value, mutable.
    pub fn get_mut(&mut self) -> &mut V {
        // SAFETY: the node is live (type invariant); `&mut self` holds the
        // tree's exclusive borrow.
        unsafe { &mut (*self.node()).value }
    }

    /// The value, mutable for as long as the tree was borrowed.
    pub fn into_mut(self) -> &'a mut V {
        // SAFETY: the node is live (type invariant) and the tree's
        // exclusive borrow for `'a` is given up to the result.
        unsafe { &mut (*self.node()).value }
    }

    /// Takes the entry out of the tree, as a node.
    pub fn remove_node(self) -> RBTreeNode<K, V> {
        let node = self.node();
        // SAFETY: `node_links` is a node of this tree (type invariant).
        unsafe { bindings::rb_erase(self.node_links, &mut self.rbtree.root) };
        // SAFETY: out of the tree now, the node is again the `KBox` leaked
        // into it (type invariant of `RBTree`).
        let node = unsafe { KBox::from_raw(node) };
        RBTreeNode { node }
    }

    /// Removes the entry and returns its value; the node is freed.
    pub fn remove(self) -> V {
        self.remove_node().to_key_value().1
    }

    /// Puts `node`, whose key equals this entry's, in this entry's place,
    /// and returns the entry's node.
    fn replace(self, node: RBTreeNode<K, V>) -> RBTreeNode<K, V> {
        let old = self.node();
        // INVARIANT: the tree takes over the new box; its key is the old
        // one's, so the order holds.
        let new = KBox::into_raw(node.node);
        // SAFETY: `node_links` is a node of this tree; `new` is live and
        // in no tree; `rb_replace_node` copies the links over.
        unsafe {
            bindings::rb_replace_node(
                self.node_links,
                addr_of_mut!((*new).links),
                &mut self.rbtree.root,
            )
        };
        // SAFETY: out of the tree now, the old node is again its `KBox`.
        let node = unsafe { KBox::from_raw(old) };
        RBTreeNode { node }
    }
}

/// Which neighbour a cursor looks at.
#[derive(Clone, Copy)]
enum Direction {
    Prev,
    Next,
}

/// The node before or after `node` in key order, if any.
///
/// # Safety
///
/// `node` is a node of a live tree that does not change during the call.
unsafe fn neighbour(
    node: NonNull<bindings::rb_node>,
    direction: Direction,
) -> Option<NonNull<bindings::rb_node>> {
    // SAFETY: the caller's promise.
    let other = unsafe {
        match direction {
            Direction::Prev => bindings::rb_prev(node.as_ptr()),
            Direction::Next => bindings::rb_next(node.as_ptr()),
        }
    };
    NonNull::new(other)
}

/// A position on an entry of a shared [`RBTree`]: [`RBTree::cursor_front`],
/// [`RBTree::cursor_back`], [`RBTree::cursor_lower_bound`].
///
/// # Invariants
///
/// `current` is a node of the tree borrowed for `'a`.
pub struct Cursor<'a, K, V> {
    current: NonNull<bindings::rb_node>,
    _tree: PhantomData<&'a RBTree<K, V>>,
}

// SAFETY: a `Cursor` gives out only `&K` and `&V`, which may go to another
// thread when `K` and `V` are `Sync`.
unsafe impl<'a, K: Sync, V: Sync> Send for Cursor<'a, K, V> {}

// SAFETY: a shared `Cursor` gives out only `&K` and `&V`.
unsafe impl<'a, K: Sync, V: Sync> Sync for Cursor<'a, K, V> {}

impl<'a, K, V> Cursor<'a, K, V> {
    /// A cursor on `node` (a node of a tree borrowed shared for `'a`, or
    /// null: then `None`).
    fn at(node: *mut bindings::rb_node) -> Option<Self> {
        // INVARIANT: the callers pass a node of the tree they borrow.
        NonNull::new(node).map(|current| Self {
            current,
            _tree: PhantomData,
        })
    }

    /// The key and the value of the entry at `node`.
    ///
    /// # Safety
    ///
    /// `node` is a node of the tree, borrowed shared for `'b`.
    unsafe fn entry<'b>(node: NonNull<bindings::rb_node>) -> (&'b K, &'b V) {
        // SAFETY: every node of the tree is in a live `Node<K, V>`, shared
        // for `'b` (the caller's promise).
        unsafe {
            let (key, value) = Node::<K, V>::parts(node);
            (&*key, &*value)
        }
    }

    /// The current entry.
    pub fn current(&self) -> (&K, &V) {
        // SAFETY: `current` is a node of the tree (type invariant), shared
        // while `self` is borrowed.
        unsafe { Self::entry(self.current) }
    }

    fn peek(&self, direction: Direction) -> Option<(&K, &V)> {
        // SAFETY: `current` is a node of the tree (type invariant); the
        // neighbour is one too.
        unsafe { neighbour(self.current, direction).map(|node| Self::entry(node)) }
    }

    /// The entry before the current one, if any.
    pub fn peek_prev(&self) -> Option<(&K, &V)> {
        self.peek(Direction::Prev)
    }

    /// The entry after the current one, if any.
    pub fn peek_next(&self) -> Option<(&K, &V)> {
        self.peek(Direction::Next)
    }
}

/// A position on an entry of an exclusively borrowed [`RBTree`], which can
/// move, change values and remove entries: [`RBTree::cursor_front_mut`],
/// [`RBTree::cursor_back_mut`], [`RBTree::cursor_lower_bound_mut`].
///
/// # Invariants
///
/// `current` is a node of `tree`.
pub struct CursorMut<'a, K, V> {
    tree: &'a mut RBTree<K, V>,
    current: NonNull<bindings::rb_node>,
}

// SAFETY: a `CursorMut` holds the tree's exclusive borrow: it may go to
// another thread when the keys and values may.
unsafe impl<'a, K: Send, V: Send> Send for CursorMut<'a, K, V> {}

// SAFETY: a shared `CursorMut` gives out `&K` and `&V` only.
unsafe impl<'a, K: Sync, V: Sync> Sync for CursorMut<'a, K, V> {}

impl<'a, K, V> CursorMut<'a, K, V> {
    /// A cursor on `node` of `tree` (or `None` for null).
    fn at(tree: &'a mut RBTree<K, V>, node: *mut bindings::rb_node) -> Option<Self> {
        // INVARIANT: the callers pass a node of `tree`.
        NonNull::new(node).map(|current| Self { tree, current })
    }

    /// The neighbour of the current entry in `direction`.
    fn neighbour(&self, direction: Direction) -> Option<NonNull<bindings::rb_node>> {
        // SAFETY: `current` is a node of the tree (type invariant), which
        // `self` keeps borrowed.
        unsafe { neighbour(self.current, direction) }
    }

    /// The key and the value of `node`, a node of the tree; the value
    /// mutable.
    ///
    /// # Safety
    ///
    /// `node` is a node of the tree, borrowed exclusively for `'b`, and no
    /// other reference to its value is live.
    unsafe fn entry_mut<'b>(node: NonNull<bindings::rb_node>) -> (&'b K, &'b mut V) {
        // SAFETY: every node of the tree is in a live `Node<K, V>`; the
        // value is not otherwise referenced (the caller's promise).
        unsafe {
            let (key, value) = Node::<K, V>::parts(node);
            (&*key, &mut *value)
        }
    }

    /// The current entry.
    pub fn current(&self) -> (&K, &V) {
        // SAFETY: `current` is a node of the tree (type invariant), shared
        // while `self` is borrowed.
        unsafe { Cursor::<K, V>::entry(self.current) }
    }

    /// The current entry, its value mutable.
    pub fn current_mut(&mut self) -> (&K, &mut V) {
        // SAFETY: `current` is a node of the tree (type invariant), which
        // `&mut self` borrows exclusively.
        unsafe { Self::entry_mut(self.current) }
    }

    /// The entry before the current one, if any.
    pub fn peek_prev(&self) -> Option<(&K, &V)> {
        // SAFETY: a node of the tree, shared while `self` is borrowed.
        self.neighbour(Direction::Prev)
            .map(|node| unsafe { Cursor::<K, V>::entry(node) })
    }

    /// The entry after the current one, if any.
    pub fn peek_next(&self) -> Option<(&K, &V)> {
        // SAFETY: a node of the tree, shared while `self` is borrowed.
        self.neighbour(Direction::Next)
            .map(|node| unsafe { Cursor::<K, V>::entry(node) })
    }

    /// The entry before the current one, if any, its value mutable.
    pub fn peek_prev_mut(&mut self) -> Option<(&K, &mut V)> {
        // SAFETY: a node of the tree, which `&mut self` borrows
        // exclusively.
        self.neighbour(Direction::Prev)
            .map(|node| unsafe { Self::entry_mut(node) })
    }

    /// The entry after the current one, if any, its value mutable.
    pub fn peek_next_mut(&mut self) -> Option<(&K, &mut V)> {
        // SAFETY: a node of the tree, which `&mut self` borrows
        // exclusively.
        self.neighbour(Direction::Next)
            .map(|node| unsafe { Self::entry_mut(node) })
    }

    /// The cursor on the previous entry; `None` (and the tree's borrow
    /// ends) if the current entry is the first.
    pub fn move_prev(self) -> Option<Self> {
        let prev = self.neighbour(Direction::Prev)?;
        Some(Self {
            current: prev,
            ..self
        })
    }

    /// The cursor on the next entry; `None` (and the tree's borrow ends)
    /// if the current entry is the last.
    pub fn move_next(self) -> Option<Self> {
        let next = self.neighbour(Direction::Next)?;
        Some(Self {
            current: next,
            ..self
        })
    }

    /// Takes `node`, a node of the tree, out of it.
    ///
    /// # Safety
    ///
    /// `node` is a node of `self.tree`.
    unsafe fn unlink(&mut self, node: NonNull<bindings::rb_node>) -> RBTreeNode<K, V> {
        // SAFETY: `node` is a node of this tree (the caller's promise).
        unsafe { bindings::rb_erase(node.as_ptr(), &mut self.tree.root) };
        // SAFETY: out of the tree now, the node is again the `KBox` leaked
        // into it (type invariant of `RBTree`).
        let node = unsafe { KBox::from_raw(Node::of(node.as_ptr())) };
        RBTreeNode { node }
    }

    /// Removes the current entry. Returns a cursor on the next entry (on
    /// the previous one if it was the last; `None` if the tree is now
    /// empty) and the removed node.
    pub fn remove_current(mut self) -> (Option<Self>, RBTreeNode<K, V>) {
        let stay = self
            .neighbour(Direction::Next)
            .or_else(|| self.neighbour(Direction::Prev));
        // SAFETY: `current` is a node of the tree (type invariant).
        let removed = unsafe { self.unlink(self.current) };
        // INVARIANT: `stay` was a neighbour of the removed node, so it is
        // still in the tree.
        let cursor = stay.map(|current| Self {
            current,
            tree: self.tree,
        });
        (cursor, removed)
    }

    fn remove_neighbour(&mut self, direction: Direction) -> Option<RBTreeNode<K, V>> {
        let node = self.neighbour(direction)?;
        // SAFETY: a neighbour of `current` is a node of the tree.
        Some(unsafe { self.unlink(node) })
    }

    /// Removes the entry before the current one, if any.
    pub fn remove_prev(&mut self) -> Option<RBTreeNode<K, V>> {
        self.remove_neighbour(Direction::Prev)
    }

    /// Removes the entry after the current one, if any.
    pub fn remove_next(&mut self) -> Option<RBTreeNode<K, V>> {
        self.remove_neighbour(Direction::Next)
    }
}

#[cfg(test)]
mod tests {
    //! The tree's Rust side (search, lower bound, entries, cursors, node
    //! ownership) on the host, over a stand-in for lib/rbtree.c: a plain
    //! binary search tree that never rebalances, with the parent pointer
    //! kept whole in `__rb_parent_color`. Every test checks against std's
    //! `BTreeMap` and, through `balanced`, that every node is freed.
    use super::*;
    use crate::alloc::{flags::GFP_KERNEL, tests::balanced};
    use bindings::{rb_node, rb_root};
    extern crate std;
    use std::collections::BTreeMap;
    use std::vec::Vec;

    type Link = *mut rb_node;

    // The stand-in's helpers. All take nodes of a valid tree.
    unsafe fn parent(n: Link) -> Link {
        // SAFETY: `n` is a node (the helpers' contract).
        unsafe { (*n).__rb_parent_color as Link }
    }

    unsafe fn set_parent(n: Link, p: Link) {
        // SAFETY: as above.
        unsafe { (*n).__rb_parent_color = p as _ };
    }

    /// The leftmost (`left`) or rightmost node under `n`.
    unsafe fn extreme(mut n: Link, left: bool) -> Link {
        // SAFETY: the children of a node are nodes or null.
        unsafe {
            loop {
                let child = if left { (*n).rb_left } else { (*n).rb_right };
                if child.is_null() {
                    return n;
                }
                n = child;
            }
        }
    }

    /// Puts `v` (a node or null) where `u` hangs.
    unsafe fn transplant(root: *mut rb_root, u: Link, v: Link) {
        // SAFETY: `u` is a node of the tree at `root`.
        unsafe {
            let p = parent(u);
            if p.is_null() {
                (*root).rb_node = v;
            } else if (*p).rb_left == u {
                (*p).rb_left = v;
            } else {
                (*p).rb_right = v;
            }
            if !v.is_null() {
                set_parent(v, p);
            }
        }
    }

    /// The in-order neighbour of `n`: the next (`forward`) or previous.
    unsafe fn step(mut n: Link, forward: bool) -> Link {
        // SAFETY: `n` is a node of a valid tree.
        unsafe {
            let down = if forward { (*n).rb_right } else { (*n).rb_left };
            if !down.is_null() {
                return extreme(down, forward);
            }
            loop {
                let p = parent(n);
                let from_below =
                    !p.is_null() && (if forward { (*p).rb_right } else { (*p).rb_left }) == n;
                if !from_below {
                    return p;
                }
                n = p;
            }
        }
    }

    /// The first node of a post-order walk of the subtree at `n`.
    unsafe fn deepest(mut n: Link) -> Link {
        // SAFETY: `n` is a node or null.
        unsafe {
            while !n.is_null() {
                let next = if (*n).rb_left.is_null() {
                    (*n).rb_right
                } else {
                    (*n).rb_left
                };
                if next.is_null() {
                    break;
                }
                n = next;
            }
        }
        n
    }

    #[no_mangle]
    unsafe extern "C" fn kelfix_rb_link_node(node: Link, parent: Link, link: *mut Link) {
        // SAFETY: `link` is a null child pointer of `parent` (the caller's).
        unsafe {
            *node = rb_node {
                __rb_parent_color: parent as _,
                rb_left: ptr::null_mut(),
                rb_right: ptr::null_mut(),
            };
            *link = node;
        }
    }

    #[no_mangle]
    extern "C" fn rb_insert_color(_node: Link, _root: *mut rb_root) {}

    #[no_mangle]
    unsafe extern "C" fn rb_erase(z: Link, root: *mut rb_root) {
        // SAFETY: `z` is a node of the tree at `root` (the caller's).
        unsafe {
            if (*z).rb_left.is_null() {
                transplant(root, z, (*z).rb_right);
            } else if (*z).rb_right.is_null() {
                transplant(root, z, (*z).rb_left);
            } else {
                let y = extreme((*z).rb_right, true);
                if parent(y) != z {
                    transplant(root, y, (*y).rb_right);
                    (*y).rb_right = (*z).rb_right;
                    set_parent((*y).rb_right, y);
                }
                transplant(root, z, y);
                (*y).rb_left = (*z).rb_left;
                set_parent((*y).rb_left, y);
            }
        }
    }

    #[no_mangle]
    unsafe extern "C" fn rb_replace_node(victim: Link, new: Link, root: *mut rb_root) {
        // SAFETY: `victim` is a node of the tree at `root`, `new` is free.
        unsafe {
            *new = *victim;
            transplant(root, victim, new);
            for child in [(*new).rb_left, (*new).rb_right] {
                if !child.is_null() {
                    set_parent(child, new);
                }
            }
        }
    }

    #[no_mangle]
    unsafe extern "C" fn rb_first(root: *const rb_root) -> Link {
        // SAFETY: a valid root (the caller's).
        let top = unsafe { (*root).rb_node };
        if top.is_null() {
            return top;
        }
        // SAFETY: `top` is a node.
        unsafe { extreme(top, true) }
    }

    #[no_mangle]
    unsafe extern "C" fn rb_last(root: *const rb_root) -> Link {
        // SAFETY: a valid root (the caller's).
        let top = unsafe { (*root).rb_node };
        if top.is_null() {
            return top;
        }
        // SAFETY: `top` is a node.
        unsafe { extreme(top, false) }
    }

    #[no_mangle]
    unsafe extern "C" fn rb_next(n: *const rb_node) -> Link {
        // SAFETY: a node of a valid tree (the caller's).
        unsafe { step(n.cast_mut(), true) }
    }

    #[no_mangle]
    unsafe extern "C" fn rb_prev(n: *const rb_node) -> Link {
        // SAFETY: a node of a valid tree (the caller's).
        unsafe { step(n.cast_mut(), false) }
    }

    #[no_mangle]
    unsafe extern "C" fn rb_first_postorder(root: *const rb_root) -> Link {
        // SAFETY: a valid root (the caller's).
        unsafe { deepest((*root).rb_node) }
    }

    #[no_mangle]
    unsafe extern "C" fn rb_next_postorder(n: *const rb_node) -> Link {
        // SAFETY: a node of a valid tree (the caller's); its parent and
        // the parent's children are nodes or null.
        unsafe {
            let n = n.cast_mut();
            let p = parent(n);
            if !p.is_null() && (*p).rb_left == n && !(*p).rb_right.is_null() {
                deepest((*p).rb_right)
            } else {
                p
            }
        }
    }

    /// A pseudo-random sequence (xorshift), the same on every run.
    fn keys(count: usize, range: u32) -> Vec<u32> {
        let mut x = 0x2545_f491_u32;
        (0..count)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x % range
            })
            .collect()
    }

    fn same(tree: &RBTree<u32, u64>, model: &BTreeMap<u32, u64>) {
        let ours: Vec<(u32, u64)> = tree.iter().map(|(k, v)| (*k, *v)).collect();
        let theirs: Vec<(u32, u64)> = model.iter().map(|(k, v)| (*k, *v)).collect();
        assert_eq!(ours, theirs);
        assert_eq!(tree.is_empty(), model.is_empty());
    }

    #[test]
    fn inserts_and_removals_match_a_btreemap() {
        balanced(|| {
            let mut tree = RBTree::new();
            let mut model = BTreeMap::new();
            for (i, key) in keys(600, 200).into_iter().enumerate() {
                let value = i as u64;
                if i % 3 == 2 {
                    assert_eq!(tree.remove(&key), model.remove(&key));
                } else {
                    let old = tree.try_create_and_insert(key, value, GFP_KERNEL).unwrap();
                    let old = old.map(|node| node.to_key_value());
                    assert_eq!(old, model.insert(key, value).map(|v| (key, v)));
                }
                assert_eq!(tree.get(&key), model.get(&key));
            }
            same(&tree, &model);
            for value in tree.values_mut() {
                *value += 1;
            }
            for (_, value) in &mut tree {
                *value *= 2;
            }
            for value in model.values_mut() {
                *value = (*value + 1) * 2;
            }
            same(&tree, &model);
            assert!(tree.keys().copied().eq(model.keys().copied()));
            assert!(tree.values().copied().eq(model.values().copied()));
            // The rest is freed with the tree.
        });
    }

    #[test]
    fn lower_bound_is_the_first_key_not_less() {
        balanced(|| {
            let mut tree = RBTree::new();
            for key in keys(100, 1000) {
                tree.try_create_and_insert(key * 2, u64::from(key), GFP_KERNEL)
                    .unwrap();
            }
            let model: BTreeMap<u32, u64> = tree.iter().map(|(k, v)| (*k, *v)).collect();
            for probe in 0..2002 {
                let want = model.range(probe..).next().map(|(k, _)| *k);
                let got = tree.cursor_lower_bound(&probe).map(|c| *c.current().0);
                assert_eq!(got, want, "lower bound of {probe}");
                let got = tree.cursor_lower_bound_mut(&probe).map(|c| *c.current().0);
                assert_eq!(got, want, "lower bound (mut) of {probe}");
            }
        });
    }

    #[test]
    fn entries_and_reservations() {
        balanced(|| {
            let mut tree = RBTree::new();
            for key in [5u32, 1, 9, 1] {
                match tree.entry(key) {
                    Entry::Vacant(slot) => {
                        let r = RBTreeNodeReservation::new(GFP_KERNEL).unwrap();
                        *slot.insert(u64::from(key), r) += 100;
                    }
                    Entry::Occupied(mut found) => {
                        *found.get_mut() += 1;
                        assert_eq!(*found.get(), 102);
                    }
                }
            }
            assert_eq!(tree.get(&1), Some(&102));
            assert_eq!(tree.find_mut(&5).map(|e| *e.into_mut()), Some(105));
            let node = tree.find_mut(&9).unwrap().remove_node();
            assert!(tree.find_mut(&9).is_none());
            let node = node.into_reservation().into_node(7, 70);
            assert!(tree.insert(node).is_none());
            assert_eq!(
                tree.remove_node(&7).map(|n| n.to_key_value()),
                Some((7, 70))
            );
            assert_eq!(tree.find_mut(&1).unwrap().remove(), 102);
            assert!(tree.keys().copied().eq([5]));
        });
    }

    #[test]
    fn cursors_move_and_remove() {
        balanced(|| {
            let mut tree = RBTree::new();
            for key in [40u32, 20, 60, 10, 30, 50, 70] {
                tree.try_create_and_insert(key, u64::from(key), GFP_KERNEL)
                    .unwrap();
            }
            let c = tree.cursor_front().unwrap();
            assert_eq!((c.current(), c.peek_prev()), ((&10, &10), None));
            assert_eq!(tree.cursor_back().unwrap().peek_next(), None);
            assert_eq!(tree.cursor_back().unwrap().peek_prev(), Some((&60, &60)));

            let mut walk = Vec::new();
            let mut c = tree.cursor_back_mut();
            while let Some(mut here) = c {
                let (key, value) = here.current_mut();
                *value += 1;
                walk.push(*key);
                c = here.move_prev();
            }
            assert_eq!(walk, [70, 60, 50, 40, 30, 20, 10]);

            let mut c = tree.cursor_lower_bound_mut(&35).unwrap();
            assert_eq!(c.current(), (&40, &41));
            *c.peek_next_mut().unwrap().1 = 0;
            *c.peek_prev_mut().unwrap().1 = 0;
            assert_eq!(
                (c.peek_prev(), c.peek_next()),
                (Some((&30, &0)), Some((&50, &0)))
            );
            assert_eq!(c.remove_prev().map(|n| n.to_key_value()), Some((30, 0)));
            assert_eq!(c.remove_next().map(|n| n.to_key_value()), Some((50, 0)));
            let (c, node) = c.remove_current();
            assert_eq!(node.to_key_value(), (40, 41));
            let c = c.unwrap();
            assert_eq!(c.current(), (&60, &61));
            let c = c.move_next().unwrap();
            let (c, _) = c.remove_current();
            assert_eq!(c.unwrap().current(), (&60, &61));
            assert!(tree.keys().copied().eq([10, 20, 60]));

            let mut c = tree.cursor_front_mut();
            while let Some(here) = c {
                c = here.remove_current().0;
            }
            assert!(tree.is_empty());
        });
    }

    #[test]
    fn a_dropped_tree_drops_every_value() {
        balanced(|| {
            let mut tree = RBTree::new();
            let shared = std::rc::Rc::new(());
            for key in keys(300, 100_000) {
                tree.try_create_and_insert(key, shared.clone(), GFP_KERNEL)
                    .unwrap();
            }
            let count = tree.iter().count();
            assert_eq!(std::rc::Rc::strong_count(&shared), count + 1);
            drop(tree);
            assert_eq!(std::rc::Rc::strong_count(&shared), 1);
        });
    }
}
