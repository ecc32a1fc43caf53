/// The district a person means by `--district`: real ids are opaque (`d7`, a 22-character
/// geoBoundaries hash), so a district is found by its id or by any of its names, in any language
/// and any case.
///
/// ```swift
/// switch DistrictLookup.find("центр", in: state.districts) {
/// case .found(let district): print(district.id)            // "center"
/// case .ambiguous(let candidates): print(candidates.map(DistrictLookup.label))
/// case .unknown: print("no such district")
/// }
/// ```
public enum DistrictLookup {
    /// What a lookup found.
    public enum Outcome: Hashable, Sendable {
        /// Exactly one district has this id, or this name.
        case found(District)
        /// Several districts have this name (in file order): the person must give an id.
        case ambiguous([District])
        /// No district has this id or name.
        case unknown
    }

    /// The district whose id is `text` exactly; else the one district whose id, `name` or one of
    /// whose `names` is `text` ignoring case, `ё`/`е`, and spacing, `_` and `-`
    /// («Центр», `центр`, `CENTER`, «Усть Каменогорск» for «Усть-Каменогорск»).
    public static func find(_ text: String, in districts: [District]) -> Outcome {
        if let exact = districts.first(where: { $0.id == text }) { return .found(exact) }
        let key = Vocabulary.foldForMatching(text)
        guard !key.isEmpty else { return .unknown }
        let matches = districts.filter { district in
            ([district.id, district.name] + district.names.values).contains { Vocabulary.foldForMatching($0) == key }
        }
        switch matches.count {
        case 0: return .unknown
        case 1: return .found(matches[0])
        default: return .ambiguous(matches)
        }
    }

    /// How a refusal names a district: `d7 (Ульбинский)`.
    public static func label(_ district: District) -> String {
        "\(district.id) (\(district.name))"
    }
}
