//! The hybrid dilated convolution (HDC) rule of Wang et al. 2018 for a group of dilation rates
//! r₁…rₙ with kernel size K: with M_n = r_n and
//! M_i = max(M_{i+1} − 2r_i, M_{i+1} − 2(M_{i+1} − r_i), r_i), the group covers its field
//! without holes when M₂ ≤ K; rates sharing a common factor grid regardless.

/// The rule's numbers and verdict for one group of rates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// M_1 … M_n (M_1 is computed for completeness; the rule reads M_2).
    pub m: Vec<i64>,
    /// M₂ ≤ K (true for a single rate, which has no M₂).
    pub m2_ok: bool,
    /// The greatest common factor of the rates when it is above 1.
    pub common_factor: Option<u64>,
    /// Both conditions hold.
    pub pass: bool,
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Checks a group of rates against kernel size `k`.
pub fn check(rates: &[u64], k: u64) -> Report {
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
    Report { m, m2_ok, common_factor, pass: m2_ok && common_factor.is_none() }
}

/// A schedule of the same length and the same field (the same sum of rates, so the same
/// receptive field for stride-1 layers of one kernel size) that passes the rule: ascending
/// (one tooth of a sawtooth) if possible, then with the smallest largest rate. Searches groups
/// of up to 5 rates summing to at most 48; others get no suggestion.
pub fn suggest(rates: &[u64], k: u64) -> Option<Vec<u64>> {
    let n = rates.len();
    let total: u64 = rates.iter().sum();
    // At most C(47, 4) ≈ 180 000 candidates, so a slider never waits on the search.
    if n == 0 || n > 5 || total > 48 {
        return None;
    }
    let mut best: Option<Vec<u64>> = None;
    let mut current = Vec::with_capacity(n);
    fn walk(n: usize, left: u64, k: u64, current: &mut Vec<u64>, best: &mut Option<Vec<u64>>) {
        if current.len() == n {
            if left == 0 && check(current, k).pass {
                // Ascending (one tooth of a sawtooth) first, then the smallest largest rate.
                let key =
                    |v: &Vec<u64>| (!v.windows(2).all(|w| w[0] <= w[1]), *v.iter().max().unwrap_or(&0), v.clone());
                if best.as_ref().is_none_or(|b| key(current) < key(b)) {
                    *best = Some(current.clone());
                }
            }
            return;
        }
        let slots = (n - current.len()) as u64;
        for r in 1..=left.saturating_sub(slots - 1) {
            current.push(r);
            walk(n, left - r, k, current, best);
            current.pop();
        }
    }
    walk(n, total, k, &mut current, &mut best);
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_papers_examples() {
        let ok = check(&[1, 2, 5], 3);
        assert_eq!(ok.m, vec![1, 2, 5]);
        assert!(ok.pass);
        let bad = check(&[1, 2, 9], 3);
        assert_eq!(bad.m[1], 5);
        assert!(!bad.pass && bad.common_factor.is_none());
        // 2, 2, 2 meets M₂ ≤ K but shares the factor 2: it grids.
        let grid = check(&[2, 2, 2], 3);
        assert!(grid.m2_ok && grid.common_factor == Some(2) && !grid.pass);
        assert!(!check(&[2, 4, 8], 3).pass);
    }

    #[test]
    fn suggestions_keep_the_field_and_pass() {
        assert_eq!(suggest(&[2, 2, 2], 3), Some(vec![1, 2, 3]));
        let s = suggest(&[2, 4, 8], 3).unwrap();
        assert_eq!(s.iter().sum::<u64>(), 14);
        assert!(check(&s, 3).pass, "{s:?}");
    }
}
