import CivicCore

/// Everything a dataset folder holds, as values: what ``Dataset/load(includeContacts:)`` returns
/// and what the closure of ``Dataset/update(_:)`` changes.
public struct DatasetState: Sendable, Hashable {
    /// `dataset.json`.
    public var info: DatasetInfo
    /// `districts.geojson`, in file order.
    public var districts: [District]
    /// `entities.geojson`, sorted by id (``Dataset/update(_:)`` sorts them again before writing).
    public var entities: [Entity]
    /// `private/contacts.json` by entity id; empty unless loaded with `includeContacts`
    /// (an update always has them).
    public var contacts: [Int: Contacts]
    /// `network.geojson`, the walkable street network, in file order (sorted by source); nil when
    /// the dataset has none or the reading did not ask for it (a city's network is tens of MB that
    /// `list` and `add` do not need). Inside ``Dataset/update(includeNetwork:_:)`` a non-nil value
    /// the change leaves different is written, sorted by source.
    public var network: [StreetWay]?
    /// `concerns.geojson`, sorted by id; empty unless read with concerns (an update always has them).
    public var concerns: [Concern]
    /// `private/concerns.json` by concern id; empty unless read with concerns and contacts (an
    /// update always has them).
    public var concernPrivate: [Int: ConcernPrivate]

    public init(info: DatasetInfo, districts: [District], entities: [Entity] = [],
                contacts: [Int: Contacts] = [:], network: [StreetWay]? = nil, concerns: [Concern] = [],
                concernPrivate: [Int: ConcernPrivate] = [:]) {
        self.info = info
        self.districts = districts
        self.entities = entities
        self.contacts = contacts
        self.network = network
        self.concerns = concerns
        self.concernPrivate = concernPrivate
    }

    /// The entity with `id`, found by binary search (entities are sorted by id).
    public func entity(id: Int) -> Entity? {
        entityIndex(id: id).map { entities[$0] }
    }

    /// The position of the entity with `id` in ``entities``, or nil.
    public func entityIndex(id: Int) -> Int? {
        var low = 0
        var high = entities.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let midID = entities[mid].id
            if midID == id { return mid }
            if midID < id { low = mid + 1 } else { high = mid - 1 }
        }
        // Within an update the closure may have appended out of order; fall back to a scan.
        return entities.firstIndex { $0.id == id }
    }
}
