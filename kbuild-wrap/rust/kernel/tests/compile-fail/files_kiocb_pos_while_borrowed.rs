// error: cannot borrow `kiocb` as mutable because it is also borrowed as immutable
// ki_pos_mut borrows the request exclusively: no other view of it may be
// alive while the position is being changed.
use kernel::fs::Kiocb;
use kernel::types::ForeignOwnable;

pub fn bump<T: ForeignOwnable>(mut kiocb: Kiocb<'_, T>) -> i64 {
    let view = &kiocb;
    *kiocb.ki_pos_mut() += 1;
    view.ki_pos()
}
