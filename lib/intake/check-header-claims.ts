import type { CanonicalOrder } from "./canonical-order";
import { addScaled, compareScaled, formatScaled, multiplyScaled, toScaled, type Scaled } from "./decimal-math";
import { issue, type Issue } from "./parse-result";

// Header totals are what the sender claims. We compare them with the lines and answer flags; the order is
// never corrected here. What a flag leads to (hold, accept, reject) is the channel's rule, later.

export type ClaimFlag = Issue & { claimed: string; computed: string };

export function checkHeaderClaims(order: CanonicalOrder): ClaimFlag[] {
  const flags: ClaimFlag[] = [];
  const { claims, lines } = order;
  if (claims.lineCount !== undefined && Number(claims.lineCount) !== lines.length) {
    flags.push(flag("count-mismatch", "claims.lineCount", `the header claims ${claims.lineCount} lines; the order has ${lines.length}`, claims.lineCount, String(lines.length)));
  }
  if (claims.quantityTotal !== undefined) {
    const sum = formatScaled(lines.reduce<Scaled>((acc, line) => addScaled(acc, toScaled(line.quantity)), { units: 0n, scale: 0 }));
    if (compareScaled(toScaled(sum), toScaled(claims.quantityTotal)) !== 0) {
      flags.push(flag("count-mismatch", "claims.quantityTotal", `the header claims a quantity total of ${claims.quantityTotal}; the lines add up to ${sum}`, claims.quantityTotal, sum));
    }
  }
  lines.forEach((line, i) => {
    const amount = lineAmount(line);
    if (line.claimedLineTotal !== undefined && amount && compareScaled(amount, toScaled(line.claimedLineTotal)) !== 0) {
      flags.push(flag("count-mismatch", `lines.${i}.claimedLineTotal`, `line ${line.lineNumber} claims ${line.claimedLineTotal}; quantity × price is ${formatScaled(amount)}`, line.claimedLineTotal, formatScaled(amount)));
    }
  });
  if (claims.total !== undefined) {
    const amounts = lines.map(lineAmount);
    if (amounts.some((a) => a === undefined)) {
      flags.push(flag("missing", "claims.total", `the header claims a total of ${claims.total}, but not every line has a price, so it cannot be checked`, claims.total, ""));
    } else {
      const sum = amounts.reduce<Scaled>((acc, a) => addScaled(acc, a!), { units: 0n, scale: 0 });
      if (compareScaled(sum, toScaled(claims.total)) !== 0) {
        flags.push(flag("count-mismatch", "claims.total", `the header claims a total of ${claims.total}; the lines add up to ${formatScaled(sum)}`, claims.total, formatScaled(sum)));
      }
    }
  }
  return flags;
}

/** quantity × price ÷ price basis, exact, or undefined when the line has no price or the division is not exact. */
function lineAmount(line: CanonicalOrder["lines"][number]): Scaled | undefined {
  if (line.unitPrice === undefined) return undefined;
  const product = multiplyScaled(toScaled(line.quantity), toScaled(line.unitPrice));
  if (line.priceBasisQuantity === undefined) return product;
  const basis = toScaled(line.priceBasisQuantity);
  if (basis.units === 0n) return undefined;
  // Divide at a fixed extra precision; a remainder means the amount is not exact and is left unchecked.
  const scaleUp = 10n ** 12n;
  const numerator = product.units * scaleUp * 10n ** BigInt(basis.scale);
  if (numerator % basis.units !== 0n) return undefined;
  return { units: numerator / basis.units, scale: product.scale + 12 };
}

function flag(code: Issue["code"], location: string, message: string, claimed: string, computed: string): ClaimFlag {
  return { ...issue(code, location, message), claimed, computed };
}
