#pragma once
// The shape of a maturity model, as pure functions: its scale, its dimensions and how a role's
// answered levels combine into one effective level. Every component reads the shape from here
// rather than assuming ISOG-J's two ladders of 0..5. Example:
//   NormalizeCatalogue(doc);                 // ISOG-J's first form gains scale and dimensions
//   Scale scale = ScaleOf(doc);              // {0, 5}
//   auto e = EffectiveLevel(answer, doc);    // {4, "outSource"} under MAX

#include <optional>
#include <string>
#include <vector>

#include "services/common/status.h"
#include "soc/maturity/assessment/v1/assessment.pb.h"
#include "soc/maturity/catalogue/v1/catalogue.pb.h"

namespace socm::catalogue {

using soc::maturity::assessment::v1::Answer;
using soc::maturity::catalogue::v1::Catalogue;

// The dimension codes that have a short form in answers.
inline constexpr char kInSource[] = "inSource";
inline constexpr char kOutSource[] = "outSource";
inline constexpr char kLevel[] = "level";

// How wide a scale may be: levels lie in 0..kMaxScaleLevel.
inline constexpr int kMaxScaleLevel = 10;
inline constexpr int kMaxDimensions = 4;

struct Scale {
  int lowest = 0;
  int highest = 5;
  bool Contains(int level) const { return level >= lowest && level <= highest; }
  int Size() const { return highest - lowest + 1; }
  // "0..5", as error messages name a range.
  std::string Range() const;
};

// Brings a catalogue document to its full form, both ways:
// - a document in ISOG-J's first form (inSourceLevels/outSourceLevels, no dimensions) gains
//   scale 0..5 (labels are the level numbers), the dimensions inSource and outSource with those
//   ladders, and combine MAX;
// - a catalogue with the dimensions inSource/outSource gains the matching first-form ladders
//   where they are empty, so that readers of the first form keep working;
// - combine defaults to MAX.
// Idempotent. Disagreements (a first-form ladder that differs from its dimension) are left for
// ValidateCatalogue to name.
void NormalizeCatalogue(Catalogue& catalogue);

// The scale of a normalized catalogue.
Scale ScaleOf(const Catalogue& catalogue);

// True when the catalogue has a dimension with this code.
bool HasDimension(const Catalogue& catalogue, const std::string& code);

// True for a model with both inSource and outSource: the sourcing view applies.
bool HasSourcing(const Catalogue& catalogue);

// An answer's level in one dimension: levels[code], else the short form of that code.
std::optional<int> LevelOf(const Answer& answer, const std::string& code);

// True when the answer rates at least one dimension (levels or a short form).
bool HasAnyLevel(const Answer& answer);

// Moves the short forms (inSource, outSource, level) into `levels`. A short form that
// disagrees with levels[code] is a violation at `path` + ".<code>".
std::vector<FieldViolation> FoldShortForms(Answer& answer, const std::string& path);

// Sets the short forms from `levels` (and clears those whose code is not in levels), so that
// replies carry both.
void FillShortForms(Answer& answer);

// Every dimension of `answer.levels` must be one of the catalogue's and lie on its scale;
// `target` too. Paths: `path` + ".levels.<code>", ".inSource", ".target".
std::vector<FieldViolation> ValidateAnswerLevels(const Answer& answer, const Catalogue& catalogue,
                                                 const std::string& path);

struct Effective {
  int level = 0;
  // The index in catalogue.dimensions() of the dimension the level came from; -1 when several
  // make it (MEAN).
  int dimension = -1;
};

// An answer's levels, one per dimension of the catalogue, in its order.
using DimensionLevels = std::vector<std::optional<int>>;

// Reads answers' levels for one catalogue, the short forms without a map lookup: what the
// scoring loop runs per role.
class LevelReader {
 public:
  explicit LevelReader(const Catalogue& catalogue);
  // `out` is resized to the catalogue's dimensions.
  void Read(const Answer& answer, DimensionLevels& out) const;
  // The index of a dimension, or -1.
  int IndexOf(const std::string& code) const;

 private:
  enum class Form { kMap, kInSource, kOutSource, kLevel };
  std::vector<std::pair<std::string, Form>> dimensions_;
};

// The role's effective level from its levels under the catalogue's combination; nullopt when
// no dimension that counts is answered. MAX picks the highest (a tie goes to the earlier
// dimension), MEAN the mean rounded half up, DIMENSION the named one alone. The dimension at
// `ignored` (an index, or -1) reads as unanswered: the sourcing view ignores outSource.
std::optional<Effective> Combine(const Catalogue& catalogue, const DimensionLevels& levels,
                                 int ignored = -1);

// The same from an answer, for callers outside a loop.
std::optional<Effective> EffectiveLevel(const Answer& answer, const Catalogue& catalogue,
                                        const std::string& ignored = "");

// Validation of the shape (scale, dimensions, combine, level advice, first-form ladders)
// of a normalized catalogue, appended to `out`.
void ValidateShape(const Catalogue& catalogue, std::vector<FieldViolation>& out);

}  // namespace socm::catalogue
