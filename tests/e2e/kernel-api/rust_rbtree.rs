// SPDX-License-Identifier: GPL-2.0-only
//! kernel::rbtree: insertion, replacement, lookups, removal, entries,
//! node reuse, in-order iteration and cursors on small trees, and a tree
//! of a thousand entries inserted out of order (the C side rebalances it)
//! whose values are counted as they drop: at removal, and with the tree,
//! half of them at load and the rest at unload.

use core::sync::atomic::{AtomicUsize, Ordering};
use kernel::prelude::*;
use kernel::rbtree::{Entry, RBTree, RBTreeNode, RBTreeNodeReservation};

module! {
    type: RustRbtree,
    name: "rust_rbtree",
    authors: ["kelfix"],
    description: "kernel::rbtree test",
    license: "GPL",
}

/// Values dropped so far, by `Counted`'s `Drop`.
static DROPPED: AtomicUsize = AtomicUsize::new(0);

/// A value that counts its drops.
struct Counted(u32);

impl Drop for Counted {
    fn drop(&mut self) {
        DROPPED.fetch_add(1, Ordering::Relaxed);
    }
}

/// The number of entries of the big trees.
const BIG: u32 = 1000;

struct RustRbtree {
    /// Kept until unload, to be dropped whole then.
    kept: RBTree<u32, Counted>,
}

/// The keys of `tree`, in iteration order.
fn keys<V>(tree: &RBTree<u32, V>) -> Result<KVec<u32>> {
    let mut out = KVec::new();
    for key in tree.keys() {
        out.push(*key, GFP_KERNEL)?;
    }
    Ok(out)
}

fn basics() -> Result {
    let mut tree = RBTree::new();
    pr_info!("new tree empty: {}\n", tree.is_empty());
    for (key, value) in [(20, 200), (10, 100), (30, 300), (5, 50), (25, 250)] {
        tree.try_create_and_insert(key, value, GFP_KERNEL)?;
    }
    pr_info!("keys {:?}\n", keys(&tree)?);
    pr_info!("get 25 {:?}, get 26 {:?}\n", tree.get(&25), tree.get(&26));

    let old = tree.try_create_and_insert(10, 1000, GFP_KERNEL)?;
    let old = old.map(RBTreeNode::to_key_value);
    pr_info!("replaced {:?}, now {:?}\n", old, tree.get(&10));

    if let Some(value) = tree.get_mut(&30) {
        *value += 3;
    }
    for value in tree.values_mut() {
        *value += 1;
    }
    let mut values = KVec::new();
    for value in tree.values() {
        values.push(*value, GFP_KERNEL)?;
    }
    pr_info!("values {:?}\n", values);
    for (key, value) in tree.iter_mut() {
        *value -= *key;
    }
    let pairs: u32 = (&tree).into_iter().map(|(k, v)| k * v).sum();
    pr_info!("sum of key*value {}\n", pairs);

    pr_info!(
        "remove 5 {:?}, again {:?}\n",
        tree.remove(&5),
        tree.remove(&5)
    );
    let node = tree.remove_node(&20);
    pr_info!(
        "remove_node 20 {}, keys {:?}\n",
        node.is_some(),
        keys(&tree)?
    );
    // The removed node's memory holds the next entry.
    if let Some(node) = node {
        let reservation: RBTreeNodeReservation<u32, u32> = node.into_reservation();
        pr_info!(
            "reused insert {:?}\n",
            tree.insert(reservation.into_node(15, 150)).is_none()
        );
    }
    // Allocated before, inserted with no allocation.
    let node = RBTreeNode::new(40, 400, GFP_KERNEL)?;
    tree.insert(node);
    pr_info!("keys {:?}\n", keys(&tree)?);
    Ok(())
}

fn entries() -> Result {
    let mut tree = RBTree::new();
    for key in [3u32, 1, 2] {
        match tree.entry(key) {
            Entry::Vacant(slot) => {
                let value = slot.insert(key * 11, RBTreeNodeReservation::new(GFP_KERNEL)?);
                *value += 1;
            }
            Entry::Occupied(_) => pr_err!("entry {} occupied in an empty place\n", key),
        }
    }
    match tree.entry(2) {
        Entry::Occupied(mut found) => {
            *found.get_mut() *= 2;
            pr_info!("entry 2 occupied {}\n", found.get());
        }
        Entry::Vacant(_) => pr_err!("entry 2 vacant\n"),
    }
    if let Some(found) = tree.find_mut(&1) {
        pr_info!("find_mut 1 removed {}\n", found.remove());
    }
    if let Some(found) = tree.find_mut(&3) {
        let (key, value) = found.remove_node().to_key_value();
        pr_info!("find_mut 3 removed node {} {}\n", key, value);
    }
    pr_info!("find_mut 9 {}\n", tree.find_mut(&9).is_some());
    pr_info!("entries left {:?}\n", keys(&tree)?);
    Ok(())
}

fn cursors() -> Result {
    let mut tree = RBTree::new();
    for key in [50u32, 10, 40, 20, 30] {
        tree.try_create_and_insert(key, key / 10, GFP_KERNEL)?;
    }
    if let Some(cursor) = tree.cursor_lower_bound(&25) {
        pr_info!(
            "lower bound 25: {:?}, prev {:?}, next {:?}\n",
            cursor.current(),
            cursor.peek_prev(),
            cursor.peek_next()
        );
    }
    pr_info!(
        "lower bound 30 at 30: {}\n",
        tree.cursor_lower_bound(&30).map(|c| *c.current().0) == Some(30)
    );
    pr_info!(
        "lower bound 51 none: {}\n",
        tree.cursor_lower_bound(&51).is_none()
    );
    pr_info!(
        "front {:?}, back {:?}\n",
        tree.cursor_front().map(|c| *c.current().0),
        tree.cursor_back().map(|c| *c.current().0)
    );

    // Forwards from the front, then backwards from the back.
    let mut order = KVec::new();
    let mut cursor = tree.cursor_front_mut();
    while let Some(mut c) = cursor {
        let (key, value) = c.current_mut();
        *value *= 100;
        order.push(*key, GFP_KERNEL)?;
        cursor = c.move_next();
    }
    let mut cursor = tree.cursor_back_mut();
    while let Some(c) = cursor {
        order.push(*c.current().0, GFP_KERNEL)?;
        cursor = c.move_prev();
    }
    pr_info!("cursor walk {:?}\n", order);

    if let Some(mut c) = tree.cursor_lower_bound_mut(&30) {
        if let Some((_, value)) = c.peek_prev_mut() {
            *value += 1;
        }
        if let Some((_, value)) = c.peek_next_mut() {
            *value += 2;
        }
        pr_info!("peek {:?} {:?}\n", c.peek_prev(), c.peek_next());
        let prev = c.remove_prev().map(RBTreeNode::to_key_value);
        let next = c.remove_next().map(RBTreeNode::to_key_value);
        pr_info!("removed around 30: {:?} {:?}\n", prev, next);
        let (c, node) = c.remove_current();
        pr_info!(
            "removed current {:?}, cursor now {:?}\n",
            node.to_key_value(),
            c.as_ref().map(|c| c.current())
        );
    }
    // Removing the last entry moves the cursor back.
    if let Some(c) = tree.cursor_back_mut() {
        let (c, _) = c.remove_current();
        pr_info!("after removing the back: {:?}\n", c.map(|c| *c.current().0));
    }
    if let Some(c) = tree.cursor_front_mut() {
        let (c, _) = c.remove_current();
        pr_info!("after removing the only entry: {}\n", c.is_none());
    }
    pr_info!("cursor tree empty: {}\n", tree.is_empty());
    Ok(())
}

/// A tree of `BIG` counted values, keys inserted in a scrambled order.
fn big_tree() -> Result<RBTree<u32, Counted>> {
    let mut tree = RBTree::new();
    for i in 0..BIG {
        // 7919 is prime to BIG, so this visits every key once.
        let key = (i * 7919) % BIG;
        tree.try_create_and_insert(key, Counted(key * 2), GFP_KERNEL)?;
    }
    Ok(tree)
}

/// Whether `tree` iterates `expected` keys in increasing order, each with
/// its own value.
fn sorted(tree: &RBTree<u32, Counted>, expected: usize) -> bool {
    let mut count = 0;
    let mut last = None;
    for (key, value) in tree {
        if last.is_some_and(|last| last >= *key) || value.0 != key * 2 {
            return false;
        }
        last = Some(*key);
        count += 1;
    }
    count == expected
}

fn big() -> Result<RBTree<u32, Counted>> {
    let tree = big_tree()?;
    pr_info!("big tree sorted: {}\n", sorted(&tree, BIG as usize));
    let before = DROPPED.load(Ordering::Relaxed);
    drop(tree);
    pr_info!(
        "big tree drop freed {}\n",
        DROPPED.load(Ordering::Relaxed) - before
    );

    let mut tree = big_tree()?;
    let before = DROPPED.load(Ordering::Relaxed);
    let mut removed = 0;
    for key in (0..BIG).step_by(2) {
        removed += usize::from(tree.remove(&key).is_some());
    }
    pr_info!(
        "removed {} even keys, {} dropped, odd keys left sorted: {}\n",
        removed,
        DROPPED.load(Ordering::Relaxed) - before,
        sorted(&tree, (BIG / 2) as usize) && tree.keys().all(|k| k % 2 == 1)
    );
    Ok(tree)
}

impl kernel::Module for RustRbtree {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        basics()?;
        entries()?;
        cursors()?;
        let kept = big()?;
        DROPPED.store(0, Ordering::Relaxed);
        Ok(RustRbtree { kept })
    }
}

impl Drop for RustRbtree {
    fn drop(&mut self) {
        let tree = core::mem::take(&mut self.kept);
        let entries = tree.iter().count();
        drop(tree);
        pr_info!(
            "unload: {} entries, {} values dropped\n",
            entries,
            DROPPED.load(Ordering::Relaxed)
        );
    }
}
