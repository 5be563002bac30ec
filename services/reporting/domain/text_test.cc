#include "services/reporting/domain/text.h"

#include <gtest/gtest.h>

namespace socm::reporting::internal {
namespace {

TEST(TextTest, EscapesMarkupCharacters) {
  EXPECT_EQ(Escaped("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(Escaped("日本語"), "日本語");
}

TEST(TextTest, CleansControlsAndInvalidUtf8) {
  EXPECT_EQ(CleanText("a\x01"
                      "b\r\nc\td"),
            "ab\nc\td");
  EXPECT_EQ(CleanText("x\xff"
                      "y"),
            "x\uFFFDy");
  EXPECT_EQ(CleanText("\xC0\xAF"), "\uFFFD\uFFFD");            // overlong '/'
  EXPECT_EQ(CleanText("\xED\xA0\x80"), "\uFFFD\uFFFD\uFFFD");  // a surrogate
  EXPECT_EQ(CleanText("\xE3\x81"), "\uFFFD\uFFFD");            // truncated
  EXPECT_EQ(CleanText("\xEF\xBF\xBE"), "");                    // U+FFFE is not a character
}

TEST(TextTest, ShortensAtACharacterBoundary) {
  EXPECT_EQ(Shorten("abc", 3), "abc");
  EXPECT_EQ(Shorten("abcd", 3), "abc\u2026");
  EXPECT_EQ(Shorten("日本語", 4), "日\u2026");  // 3 bytes each
}

TEST(TextTest, FormatsTenths) {
  EXPECT_EQ(FormatTenths(3.0), "3.0");
  EXPECT_EQ(FormatTenths(3.45), "3.5");
  EXPECT_EQ(FormatTenths(2.888888), "2.9");
  EXPECT_EQ(FormatTenths(-0.04), "0.0");
  EXPECT_EQ(FormatTenths(-1.25), "-1.3");
  EXPECT_EQ(FormatTenths(std::nullopt), "");
}

TEST(TextTest, PicksTheOtherLanguageWhenOneIsMissing) {
  soc::maturity::catalogue::v1::LocalizedText t;
  t.set_ja("日本語");
  EXPECT_EQ(Pick(t, Lang::kEn), "日本語");
  t.set_en("English");
  EXPECT_EQ(Pick(t, Lang::kEn), "English");
  EXPECT_EQ(Pick(t, Lang::kJa), "日本語");
}

}  // namespace
}  // namespace socm::reporting::internal
