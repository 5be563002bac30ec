#include "services/common/signed_value.h"

#include <gtest/gtest.h>

namespace socm {
namespace {

const std::string kKey(32, 'k');

TEST(SignedValueTest, OpensWhatItSigned) {
  const std::string value("report\0bytes", 12);
  const std::string stored = SignValue(kKey, "t:tn_a:report2:x", value);
  EXPECT_EQ(OpenSignedValue(kKey, "t:tn_a:report2:x", stored), value);
  EXPECT_EQ(OpenSignedValue(kKey, "n", SignValue(kKey, "n", "")), "");
}

TEST(SignedValueTest, AnEditedValueDoesNotOpen) {
  const std::string stored = SignValue(kKey, "name", "the score is 1.0");
  for (size_t i = 0; i < stored.size(); ++i) {
    std::string edited = stored;
    edited[i] = static_cast<char>(edited[i] ^ 0x01);
    EXPECT_FALSE(OpenSignedValue(kKey, "name", edited).has_value()) << "byte " << i;
  }
  EXPECT_FALSE(OpenSignedValue(kKey, "name", stored + "x").has_value());
  EXPECT_FALSE(OpenSignedValue(kKey, "name", stored.substr(0, stored.size() - 1)).has_value());
}

TEST(SignedValueTest, AValueMovedToAnotherNameOrTenantDoesNotOpen) {
  const std::string stored = SignValue(kKey, "t:tn_a:report2:x", "customer A's report");
  EXPECT_FALSE(OpenSignedValue(kKey, "t:tn_b:report2:x", stored).has_value());
  EXPECT_FALSE(OpenSignedValue(kKey, "t:tn_a:report2:y", stored).has_value());
  // The name's length is signed too: moving a byte between name and value changes the MAC.
  EXPECT_FALSE(OpenSignedValue(kKey, "ab", SignValue(kKey, "a", "bc")).has_value());
}

TEST(SignedValueTest, AnotherKeyOrAnUnsignedValueDoesNotOpen) {
  const std::string stored = SignValue(kKey, "name", "v");
  EXPECT_FALSE(OpenSignedValue(std::string(32, 'j'), "name", stored).has_value());
  EXPECT_FALSE(OpenSignedValue(kKey, "name", "").has_value());
  EXPECT_FALSE(OpenSignedValue(kKey, "name", "s1").has_value());
  EXPECT_FALSE(OpenSignedValue(kKey, "name", "plain value written by someone else").has_value());
}

}  // namespace
}  // namespace socm
