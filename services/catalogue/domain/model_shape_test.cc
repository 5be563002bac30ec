#include "services/catalogue/domain/model_shape.h"

#include <gtest/gtest.h>

#include "services/catalogue/domain/catalogue_rules.h"

namespace socm::catalogue {
namespace {

namespace pb = soc::maturity::catalogue::v1;

pb::LocalizedText Both(const std::string& text) {
  pb::LocalizedText t;
  t.set_ja(text);
  t.set_en(text);
  return t;
}

// A model of its own shape: three functions, levels 1..3, one dimension "level".
Catalogue ThreeLevels() {
  Catalogue c;
  c.set_id("three-level");
  c.set_version("1");
  *c.mutable_name() = Both("Three levels");
  for (const char* code : {"X", "Y", "Z"}) {
    auto* f = c.add_functions();
    f->set_code(code);
    *f->mutable_name() = Both(code);
    auto* r = f->add_roles();
    r->set_code(std::string(code) + "-1");
    *r->mutable_name() = Both("role");
  }
  c.mutable_scale()->set_lowest(1);
  c.mutable_scale()->set_highest(3);
  auto* d = c.add_dimensions();
  d->set_code("level");
  *d->mutable_name() = Both("Level");
  for (int level = 1; level <= 3; ++level) {
    auto* l = c.mutable_scale()->add_levels();
    l->set_level(level);
    *l->mutable_label() = Both("label");
    auto* t = d->add_levels();
    t->set_level(level);
    *t->mutable_text() = Both("text");
  }
  return c;
}

Catalogue FirstForm() {
  Catalogue c;
  for (auto* ladder : {c.mutable_in_source_levels(), c.mutable_out_source_levels()}) {
    for (int level = 0; level <= 5; ++level) {
      auto* l = ladder->Add();
      l->set_level(level);
      *l->mutable_text() = Both("text " + std::to_string(level));
    }
  }
  return c;
}

TEST(ModelShapeTest, TheFirstFormGainsScaleDimensionsAndMax) {
  Catalogue c = FirstForm();
  NormalizeCatalogue(c);
  EXPECT_EQ(ScaleOf(c).lowest, 0);
  EXPECT_EQ(ScaleOf(c).highest, 5);
  ASSERT_EQ(c.dimensions_size(), 2);
  EXPECT_EQ(c.dimensions(0).code(), "inSource");
  EXPECT_EQ(c.dimensions(1).code(), "outSource");
  EXPECT_EQ(c.dimensions(1).levels(3).text().en(), "text 3");
  EXPECT_EQ(c.combine(), pb::MAX);
  EXPECT_TRUE(HasSourcing(c));
  const std::string once = c.SerializeAsString();
  NormalizeCatalogue(c);
  EXPECT_EQ(c.SerializeAsString(), once) << "normalizing twice changes nothing";
}

TEST(ModelShapeTest, DimensionsInSourceAndOutSourceKeepTheFirstFormLaddersForReaders) {
  Catalogue c = FirstForm();
  NormalizeCatalogue(c);
  c.clear_in_source_levels();
  c.clear_out_source_levels();
  NormalizeCatalogue(c);
  EXPECT_EQ(c.in_source_levels_size(), 6);
  EXPECT_EQ(c.out_source_levels_size(), 6);
}

TEST(ModelShapeTest, AModelOfItsOwnShapeIsValidAndHasNoFirstFormLadders) {
  Catalogue c = ThreeLevels();
  EXPECT_TRUE(ValidateCatalogue(c).empty());
  NormalizeCatalogue(c);
  EXPECT_TRUE(c.in_source_levels().empty());
  EXPECT_FALSE(HasSourcing(c));
  EXPECT_EQ(ScaleOf(c).Range(), "1..3");
}

TEST(ModelShapeTest, ShapeProblemsAreNamedByPath) {
  Catalogue c = ThreeLevels();
  c.mutable_scale()->set_highest(4);      // level 4 has no label and no text
  c.add_dimensions()->set_code("Level");  // not lowerCamel, no name, no texts
  c.set_combine(pb::DIMENSION);           // names no dimension
  auto* advice = c.add_level_advice();
  advice->set_min_level(0);  // below the scale
  advice->set_max_level(1);
  *advice->mutable_advice() = Both("advice");
  std::set<std::string> fields;
  for (const auto& v : ValidateCatalogue(c)) fields.insert(v.field());
  for (const char* field :
       {"scale.levels", "dimensions[0].levels", "dimensions[1].code", "dimensions[1].name.ja",
        "combineDimension", "levelAdvice[0].minLevel"}) {
    EXPECT_TRUE(fields.count(field)) << field;
  }
}

TEST(ModelShapeTest, AFirstFormLadderThatDisagreesWithItsDimensionIsRefused) {
  Catalogue c = FirstForm();
  NormalizeCatalogue(c);
  c.mutable_in_source_levels(2)->mutable_text()->set_en("something else");
  std::vector<FieldViolation> out;
  ValidateShape(c, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].field(), "inSourceLevels");
}

TEST(ModelShapeTest, AnswersFoldShortFormsAndAreCheckedAgainstTheShape) {
  Catalogue c = ThreeLevels();
  NormalizeCatalogue(c);
  Answer a;
  a.set_level(3);
  EXPECT_TRUE(FoldShortForms(a, "answer").empty());
  EXPECT_EQ(a.levels().at("level"), 3);
  EXPECT_TRUE(ValidateAnswerLevels(a, c, "answer").empty());

  Answer high;
  high.set_level(4);
  auto v = ValidateAnswerLevels(high, c, "answer");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field(), "answer.level");
  EXPECT_EQ(v[0].description(), "must be 1..3");

  Answer other;
  other.set_out_source(2);
  (*other.mutable_levels())["colour"] = 1;
  other.set_target(0);
  std::set<std::string> fields;
  for (const auto& x : ValidateAnswerLevels(other, c, "answers[2]")) fields.insert(x.field());
  EXPECT_EQ(fields, (std::set<std::string>{"answers[2].outSource", "answers[2].levels.colour",
                                           "answers[2].target"}));

  Answer clash;
  clash.set_in_source(2);
  (*clash.mutable_levels())["inSource"] = 3;
  v = FoldShortForms(clash, "answer");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field(), "answer.inSource");
}

TEST(ModelShapeTest, ShortFormsAreFilledFromLevels) {
  Answer a;
  (*a.mutable_levels())["inSource"] = 2;
  a.set_out_source(4);  // stale: levels has no outSource
  FillShortForms(a);
  EXPECT_EQ(a.in_source(), 2);
  EXPECT_FALSE(a.has_out_source());
  EXPECT_FALSE(a.has_level());
}

TEST(ModelShapeTest, EffectiveLevelFollowsTheCombination) {
  Catalogue c = FirstForm();
  NormalizeCatalogue(c);
  Answer a;
  a.set_in_source(2);
  a.set_out_source(5);
  EXPECT_EQ(EffectiveLevel(a, c)->level, 5);
  EXPECT_EQ(EffectiveLevel(a, c)->dimension, 1) << "outSource";
  EXPECT_EQ(EffectiveLevel(a, c, kOutSource)->level, 2) << "the in-source-only view";

  Answer tie;
  tie.set_in_source(3);
  tie.set_out_source(3);
  EXPECT_EQ(EffectiveLevel(tie, c)->dimension, 0) << "a tie goes to the earlier";

  c.set_combine(pb::MEAN);
  EXPECT_EQ(EffectiveLevel(a, c)->level, 4) << "3.5 rounds half up";
  EXPECT_EQ(EffectiveLevel(a, c)->dimension, -1);

  c.set_combine(pb::DIMENSION);
  c.set_combine_dimension("inSource");
  EXPECT_EQ(EffectiveLevel(a, c)->level, 2);
  Answer out_only;
  out_only.set_out_source(4);
  EXPECT_FALSE(EffectiveLevel(out_only, c).has_value());
  EXPECT_FALSE(EffectiveLevel(Answer(), c).has_value());
}

}  // namespace
}  // namespace socm::catalogue
