package io.leifdb.server.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.server.auth.AuthCommand;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A NORMAL entry's first byte says what it holds; two kinds sharing one would be applied as each other. */
class EntryFormatsTest {
    @Test
    void everyKindOfEntryHasItsOwnLeadingByte() {
        List<Byte> formats = List.of(CommandCodec.VERSION, AuthCommand.FORMAT, AddressBook.FORMAT, TxnCodec.FORMAT,
                LeaseCommand.FORMAT, Recode.FORMAT, Recode.FORMAT_KIND);
        assertThat(formats).doesNotHaveDuplicates();
        byte[] txn = TxnCodec.encode(new Txn(List.of(), List.of(), List.of()));
        assertThat(TxnCodec.isTxn(txn)).isTrue();
        assertThat(AddressBook.isAddress(txn)).isFalse();
        assertThat(AuthCommand.isAuth(txn)).isFalse();
        assertThat(LeaseCommand.isLease(txn)).isFalse();
        byte[] lease = new LeaseCommand.Grant(1_000).encode();
        assertThat(LeaseCommand.isLease(lease)).isTrue();
        assertThat(TxnCodec.isTxn(lease) || AddressBook.isAddress(lease) || AuthCommand.isAuth(lease)).isFalse();
        // A lease entry is never erasure-coded: it is no key command, so its whole data stays in clear.
        assertThat(Command.clearLength(lease)).isEqualTo(lease.length);
        assertThat(Recode.isRecode(txn)).isFalse();
        assertThat(Recode.isRecode(new Recode("k", 1, new byte[3]).encode())).isTrue();
        assertThat(TxnCodec.isTxn(new Recode("k", 1, new byte[3]).encode())).isFalse();
        assertThat(LeaseCommand.isLease(new Recode("k", 1, new byte[3]).encode())).isFalse();
        assertThat(Recode.isRecode(lease)).isFalse();
    }
}
