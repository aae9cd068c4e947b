package io.bookhook.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhoneMaskerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "0912345678     | 0912***5678",
        "09123454567    | 0912***4567",
        "0912-345-4567  | 0912***4567",
        "0912 345 4567  | 0912***4567",
        "(02) 2345-6789 | 0223***6789",
        "+886 912 345 678 | +8869***5678",
        "+1-415-555-0100  | +1415***0100",
        "123456789      | 1234***6789",
    })
    void keeps_the_first_four_and_last_four_digits(String phone, String masked) {
        assertThat(PhoneMasker.mask(phone)).isEqualTo(masked);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "12345678 | ******78",
        "555-1234 | *****34",
        "+12      | +*12",
        "7        | *7",
    })
    void masks_a_number_too_short_for_that_whole_except_its_last_two_digits(String phone, String masked) {
        assertThat(PhoneMasker.mask(phone)).isEqualTo(masked);
    }

    @Test
    void leaves_null_and_empty_values_as_they_are() {
        assertThat(PhoneMasker.mask(null)).isNull();
        assertThat(PhoneMasker.mask("")).isEmpty();
        assertThat(PhoneMasker.mask("   ")).isEqualTo("   ");
    }

    @Test
    void never_reveals_a_digit_of_the_middle() {
        assertThat(PhoneMasker.mask("0912-888-4567")).doesNotContain("888");
    }
}
