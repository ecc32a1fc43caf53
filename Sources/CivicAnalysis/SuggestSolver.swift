/// A maximum-covering problem: choose at most ``count`` sites so that the weight of the demand
/// points they reach, each counted once, is as large as possible.
///
/// ```swift
/// let problem = CoveringProblem(weights: [120, 80, 40], reach: SiteReach(demandCount: 3, lists: [[0, 1], [1, 2], [2]]),
///                               tieRank: [0, 1, 2], count: 1)
/// let solution = problem.solve()   // sites [0], total 200, bound ≥ 200
/// ```
public struct CoveringProblem: Sendable {
    /// Residents at each demand point; 0 for points the existing places reach already.
    public var weights: [Double]
    /// Which points each site reaches.
    public var reach: SiteReach
    /// Per site: among sites of equal gain the lower rank is chosen (DESIGN §5c: ties by candidate id).
    public var tieRank: [Int]
    /// K: how many sites to choose.
    public var count: Int

    public init(weights: [Double], reach: SiteReach, tieRank: [Int], count: Int) {
        self.weights = weights
        self.reach = reach
        self.tieRank = tieRank
        self.count = count
    }

    /// Greedy maximum covering with lazy evaluation, then exchange improvements, with the greedy's
    /// online upper bound on the optimum (DESIGN §5c). Deterministic.
    ///
    /// - Greedy: a priority queue holds each site's gain as last computed; since gains only
    ///   shrink as sites are chosen (the objective is submodular), a site whose fresh gain still
    ///   tops the queue is the best, and most sites are never evaluated again.
    /// - Exchange: for each chosen site, the unchosen site that would add most in its place; the
    ///   swap is made when the total grows, and passes repeat until none does.
    /// - Bound: for any set S of sites, OPT ≤ f(S) + the sum of the K largest marginal gains with
    ///   respect to S (submodularity and monotonicity); the smallest over the greedy's steps and
    ///   the final set, and never more than all the demand some site reaches.
    public func solve() -> CoveringSolution {
        var state = CoveringState(self)
        // No more sites can be chosen than there are: K beyond that (--count 9223372036854775807)
        // would only overflow the work estimate below.
        let k = min(max(0, count), reach.siteCount)
        var bound = state.reachableTotal
        var boundSteps = 0
        // The bound costs a sort of the positive gains per step: every step for small problems,
        // about 30 evenly spread steps for huge ones (a minimum over fewer steps is still valid).
        let every = reach.siteCount * k > 50_000_000 ? max(1, k / 30) : 1

        // Lazy greedy.
        var queue = SiteQueue(tieRank: tieRank)
        for s in 0..<reach.siteCount {
            let g = state.freshGain(s)
            if g > 0 { queue.push(SiteQueue.Entry(gain: g, site: Int32(s), stamp: 0)) }
        }
        var step: Int32 = 0
        while state.chosen.count < k {
            if Int(step) % every == 0 {
                bound = min(bound, state.total + state.largestGains(k))
                boundSteps += 1
            }
            var picked: Int?
            while let top = queue.pop() {
                if top.stamp == step {
                    picked = Int(top.site)
                    break
                }
                let g = state.freshGain(Int(top.site))
                // A site that adds nothing now never will: gains only shrink.
                if g > 0 { queue.push(SiteQueue.Entry(gain: g, site: top.site, stamp: step)) }
            }
            guard let site = picked else { break }
            state.add(site)
            step += 1
        }
        let greedyTotal = state.total

        // Exchange improvements: a swap must add more than rounding could, so passes end.
        var swaps = 0
        var passes = 0
        var improved = state.chosen.count == k
        while improved && passes < 100 {
            improved = false
            passes += 1
            for slot in state.chosen.indices {
                let tolerance = 1e-9 * max(1, state.total)
                if let swap = state.bestSwap(slot), swap.delta > tolerance {
                    state.remove(slot: slot)
                    state.add(swap.site, at: slot)
                    swaps += 1
                    improved = true
                }
            }
        }

        state.recount()
        bound = min(bound, state.total + state.largestGains(k))
        boundSteps += 1
        if state.chosen.count == k && bound > state.total * (1 + 1e-9) {
            bound = min(bound, state.lagrangianBound(k, below: bound))
        }
        let ordered = state.ranked()
        return CoveringSolution(sites: ordered.map(\.site), gains: ordered.map(\.gain), total: state.total,
                                greedyTotal: greedyTotal, bound: max(bound, state.total), swaps: swaps,
                                boundSteps: boundSteps, reachableTotal: state.reachableTotal)
    }
}

/// What ``CoveringProblem/solve()`` found.
public struct CoveringSolution: Hashable, Sendable {
    /// The chosen sites in rank order: each adds the most to the ones before it.
    public var sites: [Int]
    /// What each adds to the ones before it (they sum to ``total``).
    public var gains: [Double]
    /// The weight the chosen sites reach together.
    public var total: Double
    /// The greedy's total before the exchange improvements.
    public var greedyTotal: Double
    /// An upper bound on the best total any `count` sites can reach (at least ``total``).
    public var bound: Double
    /// Swaps the exchange pass made.
    public var swaps: Int
    /// At how many solutions the bound was taken.
    public var boundSteps: Int
    /// All the weight that some site reaches.
    public var reachableTotal: Double
}

/// The solver's working state: the chosen sites, how many of them reach each demand point, and
/// every site's exact marginal gain, kept up to date as sites come and go (each change walks
/// the affected points' sites once, through the transposed relation).
private struct CoveringState {
    let weights: [Double]
    let reach: SiteReach
    let back: SiteReach
    let tieRank: [Int]
    var chosen: [Int] = []
    var isChosen: [Bool]
    /// Chosen sites reaching each demand point.
    var reachedBy: [Int32]
    /// Each site's gain with respect to the chosen sites (0 for a chosen site).
    var gain: [Double]
    var total = 0.0
    let reachableTotal: Double

    init(_ problem: CoveringProblem) {
        weights = problem.weights
        reach = problem.reach
        back = problem.reach.transposed()
        tieRank = problem.tieRank
        isChosen = [Bool](repeating: false, count: problem.reach.siteCount)
        reachedBy = [Int32](repeating: 0, count: problem.reach.demandCount)
        gain = (0..<problem.reach.siteCount).map { s in problem.reach[s].reduce(0) { $0 + problem.weights[Int($1)] } }
        var reachable = 0.0
        for d in 0..<problem.reach.demandCount where back.start[d + 1] > back.start[d] { reachable += problem.weights[d] }
        reachableTotal = reachable
    }

    /// The gain of `s` summed afresh in the relation's order, so that two sites reaching the same
    /// points get bit-identical gains and ties are true ties.
    func freshGain(_ s: Int) -> Double {
        var g = 0.0
        for d in reach[s] where reachedBy[Int(d)] == 0 { g += weights[Int(d)] }
        return g
    }

    mutating func add(_ s: Int, at slot: Int? = nil) {
        for d in reach[s] {
            let i = Int(d)
            if reachedBy[i] == 0 {
                total += weights[i]
                for other in back[i] { gain[Int(other)] -= weights[i] }
            }
            reachedBy[i] += 1
        }
        isChosen[s] = true
        gain[s] = 0
        if let slot { chosen[slot] = s } else { chosen.append(s) }
    }

    mutating func remove(slot: Int) {
        let s = chosen[slot]
        for d in reach[s] {
            let i = Int(d)
            reachedBy[i] -= 1
            if reachedBy[i] == 0 {
                total -= weights[i]
                for other in back[i] { gain[Int(other)] += weights[i] }
            }
        }
        isChosen[s] = false
        gain[s] = freshGain(s)
    }

    /// The best unchosen site to put in `slot`'s place and how much the total would change.
    func bestSwap(_ slot: Int) -> (site: Int, delta: Double)? {
        let s = chosen[slot]
        // What only `s` reaches: lost without it, regained by any replacement that reaches it.
        var loss = 0.0
        var extra = [Double](repeating: 0, count: gain.count)
        for d in reach[s] where reachedBy[Int(d)] == 1 {
            let w = weights[Int(d)]
            loss += w
            for other in back[Int(d)] where Int(other) != s { extra[Int(other)] += w }
        }
        var best: (site: Int, value: Double)?
        for c in 0..<gain.count where !isChosen[c] {
            let value = gain[c] + extra[c]
            guard value > 0 else { continue }
            if let b = best, value < b.value || (value == b.value && tieRank[c] >= tieRank[b.site]) { continue }
            best = (c, value)
        }
        return best.map { ($0.site, $0.value - loss) }
    }

    /// The sum of the `k` largest gains of unchosen sites.
    func largestGains(_ k: Int) -> Double {
        guard k > 0 else { return 0 }
        var positive = gain.indices.compactMap { !isChosen[$0] && gain[$0] > 0 ? gain[$0] : nil }
        if positive.count > k {
            positive.sort(by: >)
            positive.removeLast(positive.count - k)
        }
        return positive.reduce(0, +)
    }

    /// A tighter bound than the greedy's, by Lagrangian relaxation of the covering constraints
    /// ("a point counts only when a chosen site reaches it"), each with a multiplier λ between 0
    /// and the point's weight:
    ///
    ///     L(λ) = Σ_d (w_d − λ_d) + the sum of the K largest site values Σ_{d ∈ s} λ_d
    ///
    /// is at least the optimum for every such λ (an upper bound on the LP relaxation, itself above
    /// the optimum). It starts where the greedy's bound for the final set is (λ = w for the
    /// points it leaves out, 0 for those it reaches) and descends by subgradient steps (Polyak's
    /// step towards the total found, halved when it stops improving). Any iterate is a valid
    /// bound; the least is kept. Iterations are capped so that the work stays a few times one
    /// pass over the pairs.
    func lagrangianBound(_ k: Int, below start: Double) -> Double {
        let m = weights.count, n = reach.siteCount
        guard k > 0, n > k else { return start }
        // Only points with residents that some site reaches move; the others stay where they
        // start (0 for no residents, w for out of every site's reach: they add nothing either way).
        let active = (0..<m).filter { weights[$0] > 0 && back.start[$0 + 1] > back.start[$0] }
        var lambda = [Double](repeating: 0, count: m)
        for d in active where reachedBy[d] == 0 { lambda[d] = weights[d] }
        let iterations = min(150, max(40, 12_000_000 / max(1, reach.pairCount + active.count + n)))
        var best = start
        var theta = 1.0
        var stale = 0
        var value = [Double](repeating: 0, count: n)
        var hits = [Int32](repeating: 0, count: m)
        let starts = reach.start, pairs = reach.demand
        for _ in 0..<iterations {
            var free = 0.0
            for d in active { free += weights[d] - lambda[d] }
            lambda.withUnsafeBufferPointer { l in
                pairs.withUnsafeBufferPointer { p in
                    starts.withUnsafeBufferPointer { st in
                        value.withUnsafeMutableBufferPointer { v in
                            for s in 0..<n {
                                var sum = 0.0
                                for j in st[s]..<st[s + 1] { sum += l[Int(p[j])] }
                                v[s] = sum
                            }
                        }
                    }
                }
            }
            let top = Self.largest(value, k)
            let bound = free + top.reduce(0) { $0 + value[$1] }
            if bound < best - 1e-12 * best {
                best = bound
                stale = 0
            } else {
                stale += 1
                if stale >= 5 {
                    theta /= 2
                    stale = 0
                }
            }
            // Close enough that the share shown ("at least 99.9 %") would not move.
            let gap = bound - total
            guard best - total > 2e-5 * max(1, total), theta > 1e-3 else { break }
            // The subgradient of L at λ: one per chosen site reaching d, less one.
            for s in top { for j in starts[s]..<starts[s + 1] { hits[Int(pairs[j])] += 1 } }
            var norm = 0.0
            for d in active {
                let g = Double(hits[d]) - 1
                if (g > 0 && lambda[d] > 0) || (g < 0 && lambda[d] < weights[d]) { norm += g * g }
            }
            guard norm > 0 else { break }
            let step = theta * gap / norm
            for d in active {
                let g = Double(hits[d]) - 1
                lambda[d] = min(weights[d], max(0, lambda[d] - step * g))
                hits[d] = 0
            }
        }
        return best
    }

    /// The indices of the `k` largest values (ties by index), in no particular order.
    static func largest(_ values: [Double], _ k: Int) -> [Int] {
        guard values.count > k else { return Array(values.indices) }
        // A min-heap of the k best so far: its root is the one to beat.
        var heap: [Int] = []
        heap.reserveCapacity(k)
        func less(_ a: Int, _ b: Int) -> Bool { values[a] != values[b] ? values[a] < values[b] : a > b }
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && less(heap[l], heap[m]) { m = l }
                if r < heap.count && less(heap[r], heap[m]) { m = r }
                guard m != i else { return }
                heap.swapAt(i, m)
                i = m
            }
        }
        for i in values.indices {
            if heap.count < k {
                heap.append(i)
                var j = heap.count - 1
                while j > 0 {
                    let p = (j - 1) / 2
                    guard less(heap[j], heap[p]) else { break }
                    heap.swapAt(j, p)
                    j = p
                }
            } else if less(heap[0], i) {
                heap[0] = i
                siftDown(0)
            }
        }
        return heap
    }

    /// Recomputes the total and every gain from scratch, free of the rounding that many small
    /// updates leave.
    mutating func recount() {
        total = 0
        for d in 0..<reachedBy.count where reachedBy[d] > 0 { total += weights[d] }
        for s in 0..<gain.count { gain[s] = isChosen[s] ? 0 : freshGain(s) }
    }

    /// The chosen sites ordered so that each adds the most to the ones before it (ties by rank),
    /// with what each adds.
    func ranked() -> [(site: Int, gain: Double)] {
        var reached = [Bool](repeating: false, count: reachedBy.count)
        var left = chosen
        var order: [(site: Int, gain: Double)] = []
        while !left.isEmpty {
            var best = 0
            var bestGain = -1.0
            for (i, s) in left.enumerated() {
                var g = 0.0
                for d in reach[s] where !reached[Int(d)] { g += weights[Int(d)] }
                if g > bestGain || (g == bestGain && tieRank[s] < tieRank[left[best]]) {
                    best = i
                    bestGain = g
                }
            }
            let s = left.remove(at: best)
            for d in reach[s] { reached[Int(d)] = true }
            order.append((s, bestGain))
        }
        return order
    }
}

/// A binary max-heap of sites by gain (larger first), then tie rank (lower first).
private struct SiteQueue {
    struct Entry {
        var gain: Double
        var site: Int32
        /// The greedy step at which ``gain`` was computed.
        var stamp: Int32
    }

    let tieRank: [Int]
    private var heap: [Entry] = []

    init(tieRank: [Int]) { self.tieRank = tieRank }

    private func before(_ a: Entry, _ b: Entry) -> Bool {
        a.gain != b.gain ? a.gain > b.gain : tieRank[Int(a.site)] < tieRank[Int(b.site)]
    }

    mutating func push(_ e: Entry) {
        heap.append(e)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard before(heap[i], heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> Entry? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        guard !heap.isEmpty else { return top }
        heap[0] = last
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count && before(heap[l], heap[m]) { m = l }
            if r < heap.count && before(heap[r], heap[m]) { m = r }
            guard m != i else { break }
            heap.swapAt(i, m)
            i = m
        }
        return top
    }
}
