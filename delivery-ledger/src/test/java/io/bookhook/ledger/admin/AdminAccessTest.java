package io.bookhook.ledger.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminAccessTest {

    private final AdminAccess access = AdminAccess.withTokens("operator-secret", Optional.of("read-secret"));

    @Test
    void each_token_is_known_by_its_kind_and_anything_else_is_nobody() {
        assertThat(access.holderOf("Bearer operator-secret")).contains(AdminAccess.Holder.OPERATOR);
        assertThat(access.holderOf("bearer read-secret")).as("the scheme is case-insensitive").contains(AdminAccess.Holder.READ);
        assertThat(access.holderOf(null)).isEmpty();
        assertThat(access.holderOf("Bearer ")).isEmpty();
        assertThat(access.holderOf("Bearer operator-secre")).isEmpty();
        assertThat(access.holderOf("Bearer operator-secret-and-more")).isEmpty();
        assertThat(access.holderOf("Basic b3BlcmF0b3Itc2VjcmV0")).isEmpty();
        assertThat(access.holderOf("operator-secret")).as("the scheme is needed").isEmpty();
    }

    @Test
    void only_the_read_token_may_not_act() {
        assertThat(AdminAccess.Holder.OPERATOR.mayAct()).isTrue();
        assertThat(AdminAccess.Holder.ANYONE.mayAct()).isTrue();
        assertThat(AdminAccess.Holder.READ.mayAct()).isFalse();
    }

    @Test
    void without_tokens_anyone_may_do_everything_but_only_on_loopback() {
        AdminAccess open = AdminAccess.open();
        assertThat(open.holderOf(null)).contains(AdminAccess.Holder.ANYONE);
        assertThat(open.mayListenOn(new InetSocketAddress("127.0.0.1", 0))).isTrue();
        assertThat(open.mayListenOn(new InetSocketAddress("::1", 0))).isTrue();
        assertThat(open.mayListenOn(new InetSocketAddress("0.0.0.0", 0))).isFalse();
        assertThat(open.mayListenOn(InetSocketAddress.createUnresolved("admin.example.com", 0))).isFalse();
        assertThat(access.mayListenOn(new InetSocketAddress("0.0.0.0", 0))).isTrue();
    }

    @Test
    void tokens_must_not_be_blank_or_the_same_and_never_show_in_its_description() {
        assertThatThrownBy(() -> AdminAccess.withTokens(" ", Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AdminAccess.withTokens("t", Optional.of(""))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AdminAccess.withTokens("same", Optional.of("same"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("same'");
        assertThat(access.toString()).doesNotContain("secret");
    }
}
