// Prints the primes below a limit (the first argument, 50 by default), with the standard library only.
use std::env;

fn primes_below(limit: usize) -> Vec<usize> {
    let mut sieve = vec![true; limit.max(2)];
    sieve[0] = false;
    sieve[1] = false;
    let mut i = 2;
    while i * i < limit {
        if sieve[i] {
            let mut j = i * i;
            while j < limit {
                sieve[j] = false;
                j += i;
            }
        }
        i += 1;
    }
    (0..limit).filter(|&n| n < sieve.len() && sieve[n]).collect()
}

fn main() {
    let limit = env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(50);
    let found = primes_below(limit);
    println!("{} primes below {}: {:?}", found.len(), limit, found);
}
