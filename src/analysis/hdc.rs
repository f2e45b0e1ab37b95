//! Gridding of a dilation group, two ways: the hybrid dilated convolution (HDC) rule of Wang
//! et al. 2018 and the path-count map itself.
//!
//! The rule: with rates r₁…rₙ and kernel size K, M_n = r_n and
//! M_i = max(M_{i+1} − 2r_i, M_{i+1} − 2(M_{i+1} − r_i), r_i); the paper's design goal is
//! M₂ ≤ K with rates that share no common factor. It is derived for schedules that start at
//! r₁ = 1, and it is sufficient there, not necessary. The map is the ground truth: the
//! path counts from one interior output pixel back through the group (stride 1, one kernel
//! size) have a hole wherever no path lands inside the field. The verdict shown is the map's;
//! the rule is shown beside it, with the reason where the two differ.

use super::{Layer, path_counts_1d};
use crate::msg;
use crate::text::Msg;

/// The rule's numbers for one group of rates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// M_1 … M_n (M_1 is computed for completeness; the rule reads M₂).
    pub m: Vec<i64>,
    /// M₂ ≤ K (true for a single rate, which has no M₂).
    pub m2_ok: bool,
    /// The greatest common factor of the rates when it is above 1.
    pub common_factor: Option<u64>,
    /// Both conditions hold: the rule predicts no gridding.
    pub pass: bool,
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// The rule's numbers for `rates` and kernel size `k`.
pub fn rule(rates: &[u64], k: u64) -> Rule {
    let n = rates.len();
    let mut m = vec![0i64; n];
    if let Some(&last) = rates.last() {
        m[n - 1] = last as i64;
        for i in (0..n - 1).rev() {
            let (next, r) = (m[i + 1], rates[i] as i64);
            m[i] = (next - 2 * r).max(next - 2 * (next - r)).max(r);
        }
    }
    let m2_ok = n < 2 || m[1] <= k as i64;
    let g = rates.iter().copied().fold(0, gcd);
    let common_factor = (g > 1).then_some(g);
    Rule { m, m2_ok, common_factor, pass: m2_ok && common_factor.is_none() }
}

/// What the map says: the field of one interior output pixel and the cells of it that no
/// path reaches, along one axis (square kernels make the 2-D map an outer product, so a hole
/// in a row profile is a line of holes in the map).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Coverage {
    pub field: usize,
    pub holes: usize,
}

impl Coverage {
    pub fn grids(&self) -> bool {
        self.holes > 0
    }
}

/// Most work (field × kernel taps × layers) [`coverage`] takes on.
pub const MAX_COVERAGE_WORK: u128 = 1 << 26;

/// The map of one output pixel through the group as stride-1 convs without padding: the
/// input is exactly its field, so every zero path count is a hole. Computed by the same
/// [`path_counts_1d`] that draws the gridding map. `None` when the work would exceed
/// [`MAX_COVERAGE_WORK`].
pub fn coverage(rates: &[u64], k: u64) -> Option<Coverage> {
    let span: u128 = rates.iter().map(|&r| u128::from(r) * u128::from(k.saturating_sub(1))).sum::<u128>() + 1;
    let work = span.saturating_mul(u128::from(k)).saturating_mul(rates.len() as u128);
    if rates.is_empty() || k == 0 || work > MAX_COVERAGE_WORK {
        return None;
    }
    let layers: Vec<Layer> = rates.iter().map(|&r| Layer::conv(k as usize, 1, 0, r as usize)).collect();
    let counts = path_counts_1d(&layers, span as usize, 0).ok()?;
    Some(Coverage { field: counts.len(), holes: counts.iter().filter(|&&c| c == 0.0).count() })
}

/// The rule and the map for one group, and a sentence for where they disagree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub rates: Vec<u64>,
    pub k: u64,
    pub rule: Rule,
    pub map: Coverage,
}

impl Report {
    pub fn new(rates: &[u64], k: u64) -> Option<Report> {
        Some(Report { rates: rates.to_vec(), k, rule: rule(rates, k), map: coverage(rates, k)? })
    }

    /// Why the rule and the map disagree, when they do.
    pub fn disagreement(&self) -> Option<Msg> {
        let Report { rates, k, rule, map } = self;
        let m2 = rule.m.get(1).copied().unwrap_or(rates[0] as i64);
        let (m2, k) = (m2.to_string(), k.to_string());
        match (rule.pass, map.grids()) {
            (true, true) => Some(msg!("receptive-hdc-holes-despite-rule", m2 = m2, k = k, r1 = rates[0].to_string())),
            (false, false) if rule.common_factor.is_none() => {
                Some(msg!("receptive-hdc-no-holes-despite-rule", m2 = m2, k = k))
            }
            _ => None,
        }
    }
}

/// A schedule of the same length and the same field (the same sum of rates, so the same
/// receptive field for stride-1 layers of one kernel size) that passes the rule and whose
/// map has no holes, confirmed by [`coverage`]: ascending (one tooth of a sawtooth) if
/// possible, then with the smallest largest rate. Searches groups of up to 5 rates summing to
/// at most 48; others get no suggestion.
pub fn suggest(rates: &[u64], k: u64) -> Option<Vec<u64>> {
    let n = rates.len();
    let total: u64 = rates.iter().sum();
    // At most C(47, 4) ≈ 180 000 candidates, so a slider never waits on the search.
    if n == 0 || n > 5 || total > 48 {
        return None;
    }
    let mut candidates = Vec::new();
    let mut current = Vec::with_capacity(n);
    fn walk(n: usize, left: u64, k: u64, current: &mut Vec<u64>, out: &mut Vec<Vec<u64>>) {
        if current.len() == n {
            if left == 0 && rule(current, k).pass {
                out.push(current.clone());
            }
            return;
        }
        let slots = (n - current.len()) as u64;
        for r in 1..=left.saturating_sub(slots - 1) {
            current.push(r);
            walk(n, left - r, k, current, out);
            current.pop();
        }
    }
    walk(n, total, k, &mut current, &mut candidates);
    // Ascending first, then the smallest largest rate; the first the map confirms wins.
    candidates.sort_by_key(|v| (!v.windows(2).all(|w| w[0] <= w[1]), *v.iter().max().unwrap_or(&0), v.clone()));
    let field = coverage(rates, k)?.field;
    candidates.into_iter().find(|v| coverage(v, k).is_some_and(|c| !c.grids() && c.field == field))
}

/// Whether no group of this many rates with this field can avoid holes: n layers of K taps
/// reach at most Kⁿ cells, fewer than the field's.
pub fn unavoidable(rates: &[u64], k: u64) -> bool {
    let field: u128 = rates.iter().map(|&r| u128::from(r) * u128::from(k.saturating_sub(1))).sum::<u128>() + 1;
    let reach = (0..rates.len()).try_fold(1u128, |acc, _| acc.checked_mul(u128::from(k)));
    reach.is_some_and(|reach| reach < field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_papers_examples() {
        let ok = rule(&[1, 2, 5], 3);
        assert_eq!(ok.m, vec![1, 2, 5]);
        assert!(ok.pass);
        let bad = rule(&[1, 2, 9], 3);
        assert_eq!(bad.m[1], 5);
        assert!(!bad.pass && bad.common_factor.is_none());
        // 2, 2, 2 meets M₂ ≤ K but shares the factor 2: it grids.
        let grid = rule(&[2, 2, 2], 3);
        assert!(grid.m2_ok && grid.common_factor == Some(2) && !grid.pass);
        assert!(!rule(&[2, 4, 8], 3).pass);
    }

    #[test]
    fn the_map_decides_and_disagreements_are_explained() {
        // 1, 2, 5 with K = 3: offsets {0,1,2} + {0,2,4} + {0,5,10} cover 0…16.
        assert_eq!(coverage(&[1, 2, 5], 3), Some(Coverage { field: 17, holes: 0 }));
        // 3, 3, 8 passes the rule (M₂ = 3) but starts at rate 3: the map has holes.
        let report = Report::new(&[3, 3, 8], 3).unwrap();
        assert!(report.rule.pass && report.map.grids());
        assert!(report.disagreement().unwrap().en().contains("assumes the group starts at rate 1 (here r₁ = 3)"));
        // 2, 2, 2: the rule and the map agree that it grids.
        assert_eq!(Report::new(&[2, 2, 2], 3).unwrap().disagreement(), None);
    }

    #[test]
    fn suggestions_keep_the_field_and_have_no_holes() {
        assert_eq!(suggest(&[2, 2, 2], 3), Some(vec![1, 2, 3]));
        let s = suggest(&[2, 4, 6], 3).unwrap();
        assert_eq!(s.iter().sum::<u64>(), 12);
        assert!(rule(&s, 3).pass, "{s:?}");
        assert!(!coverage(&s, 3).unwrap().grids(), "{s:?}");
        // 2, 4, 8 spans 29 cells, but three 3-tap layers reach at most 27: nothing to suggest
        // (the rule alone would have suggested 3, 3, 8, whose map has holes).
        assert_eq!(suggest(&[2, 4, 8], 3), None);
        assert!(unavoidable(&[2, 4, 8], 3));
    }
}
