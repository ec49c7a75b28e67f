//! Firebase Remote Config condition expressions: a tokenizer and a recursive-descent
//! parser for the documented grammar (`&&`, `||`, `!`, parentheses, comparisons, `in`,
//! `between`, `.method([...])` calls, `dateTime(...)`, `percent`). Ranges are byte
//! offsets into the expression string; the reader maps them back into the file.

use std::ops::Range;

/// A literal value on the right of an operator.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Str(String, Range<usize>),
    Num(f64, Range<usize>),
    Bool(bool, Range<usize>),
    /// `['a', 'b']` or a parenthesised tuple `('2024-01-01T00:00:00', 'UTC')`.
    List(Vec<Val>, Range<usize>),
    /// `dateTime('2024-01-01T00:00:00')`.
    Call(String, Vec<Val>, Range<usize>),
}

impl Val {
    pub fn range(&self) -> Range<usize> {
        match self {
            Val::Str(_, r) | Val::Num(_, r) | Val::Bool(_, r) | Val::List(_, r) => r.clone(),
            Val::Call(_, _, r) => r.clone(),
        }
    }
    /// The scalar values inside, lists flattened.
    pub fn scalars(&self) -> Vec<&Val> {
        match self {
            Val::List(items, _) | Val::Call(_, items, _) => {
                items.iter().flat_map(Val::scalars).collect()
            }
            _ => vec![self],
        }
    }
}

/// What an element is compared with.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    /// `percent between 10 and 20`.
    Between,
    /// `.contains([...])`, `.exactlyMatches([...])`, `.inAtLeastOne([...])`, ...
    Method(String),
}

/// `app.userProperty['plan']`: the dotted path, and the bracketed key if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub path: String,
    pub path_range: Range<usize>,
    pub key: Option<(String, Range<usize>)>,
    /// `percent('seed')`: the seed of a percentage split.
    pub seed: Option<(String, Range<usize>)>,
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub element: Element,
    pub op: Op,
    pub op_range: Range<usize>,
    pub values: Vec<Val>,
    /// From the element to the end of the last value.
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Bool(bool, Range<usize>),
    Test(Comparison),
}

impl Expr {
    /// Every comparison, in source order.
    pub fn comparisons(&self) -> Vec<&Comparison> {
        match self {
            Expr::And(xs) | Expr::Or(xs) => xs.iter().flat_map(Expr::comparisons).collect(),
            Expr::Not(x) => x.comparisons(),
            Expr::Bool(..) => Vec::new(),
            Expr::Test(c) => vec![c],
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub range: Range<usize>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Num(f64),
    Punct(&'static str),
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::Ident(s) => format!("`{s}`"),
            Tok::Str(s) => format!("the string '{s}'"),
            Tok::Num(n) => format!("the number {n}"),
            Tok::Punct(p) => format!("`{p}`"),
        }
    }
}

const PUNCT: [&str; 15] = [
    "&&", "||", "==", "!=", "<=", ">=", "<", ">", "!", "(", ")", "[", "]", ",", ".",
];

/// The longest an expression may be before it is refused, and the deepest nesting.
const MAX_LEN: usize = 64 * 1024;
const MAX_DEPTH: usize = 64;

fn tokenize(s: &str) -> Result<Vec<(Tok, Range<usize>)>, ParseError> {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let start = i;
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if b == b'\'' || b == b'"' {
            let mut value = String::new();
            i += 1;
            let mut closed = false;
            while let Some(c) = s.get(i..).and_then(|r| r.chars().next()) {
                i += c.len_utf8();
                if c == '\\' {
                    if let Some(next) = s.get(i..).and_then(|r| r.chars().next()) {
                        value.push(next);
                        i += next.len_utf8();
                    }
                    continue;
                }
                if c as u32 == u32::from(b) {
                    closed = true;
                    break;
                }
                value.push(c);
            }
            if !closed {
                return Err(ParseError {
                    range: start..s.len(),
                    message: "this string is never closed".into(),
                });
            }
            out.push((Tok::Str(value), start..i));
            continue;
        }
        let negative_number = b == b'-' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if b.is_ascii_digit() || negative_number {
            i += 1;
            while bytes
                .get(i)
                .is_some_and(|c| c.is_ascii_digit() || *c == b'.')
            {
                i += 1;
            }
            let text = s.get(start..i).unwrap_or("");
            let n = text.parse::<f64>().map_err(|_| ParseError {
                range: start..i,
                message: format!("`{text}` is not a number"),
            })?;
            out.push((Tok::Num(n), start..i));
            continue;
        }
        if b.is_ascii_alphabetic() || b == b'_' {
            while bytes
                .get(i)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
            {
                i += 1;
            }
            out.push((
                Tok::Ident(s.get(start..i).unwrap_or("").to_string()),
                start..i,
            ));
            continue;
        }
        match PUNCT
            .iter()
            .find(|p| s.get(i..).is_some_and(|r| r.starts_with(**p)))
        {
            Some(p) => {
                i += p.len();
                out.push((Tok::Punct(p), start..i));
            }
            None => {
                let c = s.get(i..).and_then(|r| r.chars().next()).unwrap_or('?');
                return Err(ParseError {
                    range: start..start + c.len_utf8(),
                    message: format!("unexpected character `{c}`"),
                });
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, Range<usize>)>,
    pos: usize,
    end: usize,
    depth: usize,
}

type Res<T> = Result<T, ParseError>;

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }
    fn peek_at(&self, n: usize) -> Option<&Tok> {
        self.toks.get(self.pos + n).map(|(t, _)| t)
    }
    fn range(&self) -> Range<usize> {
        self.toks
            .get(self.pos)
            .map_or(self.end..self.end, |(_, r)| r.clone())
    }
    fn prev_end(&self) -> usize {
        self.pos
            .checked_sub(1)
            .and_then(|p| self.toks.get(p))
            .map_or(0, |(_, r)| r.end)
    }
    fn bump(&mut self) -> Option<(Tok, Range<usize>)> {
        let t = self.toks.get(self.pos).cloned();
        if t.is_some() {
            self.pos += 1;
        }
        t
    }
    fn is_punct(&self, p: &str) -> bool {
        matches!(self.peek(), Some(Tok::Punct(q)) if *q == p)
    }
    fn is_ident(&self, name: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(q)) if q == name)
    }
    fn unexpected(&self, wanted: &str) -> ParseError {
        match self.peek() {
            Some(t) => ParseError {
                range: self.range(),
                message: format!("expected {wanted}, found {}", t.describe()),
            },
            None => ParseError {
                range: self.end..self.end,
                message: format!("expected {wanted}, but the expression ends here"),
            },
        }
    }
    fn expect_punct(&mut self, p: &str, wanted: &str) -> Res<Range<usize>> {
        if self.is_punct(p) {
            Ok(self.bump().map_or(self.end..self.end, |(_, r)| r))
        } else {
            Err(self.unexpected(wanted))
        }
    }
    fn enter(&mut self) -> Res<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError {
                range: self.range(),
                message: format!("the expression nests deeper than {MAX_DEPTH} levels"),
            });
        }
        Ok(())
    }

    fn or(&mut self) -> Res<Expr> {
        self.enter()?;
        let mut parts = vec![self.and()?];
        while self.is_punct("||") {
            self.bump();
            parts.push(self.and()?);
        }
        self.depth -= 1;
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }

    fn and(&mut self) -> Res<Expr> {
        let mut parts = vec![self.unary()?];
        while self.is_punct("&&") {
            self.bump();
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::And(parts)
        })
    }

    fn unary(&mut self) -> Res<Expr> {
        if self.is_punct("!") {
            self.bump();
            self.enter()?;
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner)));
        }
        if self.is_punct("(") {
            let open = self.range();
            self.bump();
            let inner = self.or()?;
            if !self.is_punct(")") {
                let mut e = self.unexpected("`)` or an operator");
                e.message = format!(
                    "{} (the `(` at character {} is never closed)",
                    e.message,
                    open.start + 1
                );
                return Err(e);
            }
            self.bump();
            return Ok(inner);
        }
        match self.peek() {
            Some(Tok::Ident(w)) if (w == "true" || w == "false") && !self.is_element_next() => {
                let b = w == "true";
                let r = self.range();
                self.bump();
                Ok(Expr::Bool(b, r))
            }
            Some(Tok::Ident(_)) => self.comparison().map(Expr::Test),
            _ => Err(self
                .unexpected("an element such as `device.country` or `app.userProperty['name']`")),
        }
    }

    fn is_element_next(&self) -> bool {
        matches!(self.peek_at(1), Some(Tok::Punct(".")))
    }

    fn element(&mut self) -> Res<Element> {
        let start = self.range().start;
        let mut path = match self.bump() {
            Some((Tok::Ident(s), _)) => s,
            _ => return Err(self.unexpected("an element")),
        };
        // `.name(` starts a method call, not another path segment.
        while self.is_punct(".")
            && matches!(self.peek_at(1), Some(Tok::Ident(_)))
            && !matches!(self.peek_at(2), Some(Tok::Punct("(")))
        {
            self.bump();
            if let Some((Tok::Ident(s), _)) = self.bump() {
                path.push('.');
                path.push_str(&s);
            }
        }
        let path_range = start..self.prev_end();
        let mut key = None;
        if self.is_punct("[") {
            self.bump();
            match self.bump() {
                Some((Tok::Str(s), r)) => key = Some((s, r)),
                _ => {
                    self.pos -= 1;
                    return Err(self.unexpected("a quoted name inside `[...]`, as in `['plan']`"));
                }
            }
            self.expect_punct("]", "`]`")?;
        }
        let mut seed = None;
        if key.is_none() && self.is_punct("(") {
            self.bump();
            match self.bump() {
                Some((Tok::Str(s), r)) => seed = Some((s, r)),
                _ => {
                    self.pos -= 1;
                    return Err(self.unexpected("a quoted seed, as in `percent('seed')`"));
                }
            }
            self.expect_punct(")", "`)`")?;
        }
        Ok(Element {
            path,
            path_range,
            key,
            seed,
            range: start..self.prev_end(),
        })
    }

    fn comparison(&mut self) -> Res<Comparison> {
        let element = self.element()?;
        let op_range = self.range();
        let (op, values) = match self.peek().cloned() {
            Some(Tok::Punct(p)) if ["==", "!=", "<", "<=", ">", ">="].contains(&p) => {
                self.bump();
                let op = match p {
                    "==" => Op::Eq,
                    "!=" => Op::Ne,
                    "<" => Op::Lt,
                    "<=" => Op::Le,
                    ">" => Op::Gt,
                    _ => Op::Ge,
                };
                (op, vec![self.value()?])
            }
            Some(Tok::Ident(w)) if w == "in" => {
                self.bump();
                (Op::In, vec![self.value()?])
            }
            Some(Tok::Ident(w)) if w == "between" => {
                self.bump();
                let low = self.value()?;
                if !self.is_ident("and") {
                    return Err(self.unexpected("`and` (as in `between 0 and 20`)"));
                }
                self.bump();
                let high = self.value()?;
                (Op::Between, vec![low, high])
            }
            Some(Tok::Punct(".")) => {
                self.bump();
                let name = match self.bump() {
                    Some((Tok::Ident(s), _)) => s,
                    _ => {
                        self.pos -= 1;
                        return Err(self.unexpected("a method name such as `contains`"));
                    }
                };
                self.expect_punct("(", "`(`")?;
                let mut args = Vec::new();
                if !self.is_punct(")") {
                    args.push(self.value()?);
                    while self.is_punct(",") {
                        self.bump();
                        args.push(self.value()?);
                    }
                }
                self.expect_punct(")", "`)` or `,`")?;
                (Op::Method(name), args)
            }
            _ => {
                return Err(self.unexpected(&format!(
                    "an operator after `{}` (`==`, `!=`, `<`, `>`, `in`, `.contains([...])`, ...)",
                    element.path
                )));
            }
        };
        let op_range = op_range.start..self.range_end_of(&op, &op_range);
        let end = self.prev_end();
        Ok(Comparison {
            range: element.range.start..end,
            element,
            op,
            op_range,
            values,
        })
    }

    fn range_end_of(&self, op: &Op, first: &Range<usize>) -> usize {
        match op {
            // A method's range covers `.name`.
            Op::Method(name) => first.end + name.len(),
            _ => first.end,
        }
    }

    fn value(&mut self) -> Res<Val> {
        self.enter()?;
        let r = self.range();
        let v = match self.peek().cloned() {
            Some(Tok::Str(s)) => {
                self.bump();
                Val::Str(s, r)
            }
            Some(Tok::Num(n)) => {
                self.bump();
                Val::Num(n, r)
            }
            Some(Tok::Ident(w)) if w == "true" || w == "false" => {
                self.bump();
                Val::Bool(w == "true", r)
            }
            Some(Tok::Punct(open @ ("[" | "("))) => {
                self.bump();
                let close = if open == "[" { "]" } else { ")" };
                let items = self.values_until(close)?;
                Val::List(items, r.start..self.prev_end())
            }
            Some(Tok::Ident(name)) if matches!(self.peek_at(1), Some(Tok::Punct("("))) => {
                self.bump();
                self.bump();
                let items = self.values_until(")")?;
                Val::Call(name, items, r.start..self.prev_end())
            }
            _ => return Err(self.unexpected("a value: a quoted string, a number or a list")),
        };
        self.depth -= 1;
        Ok(v)
    }

    fn values_until(&mut self, close: &'static str) -> Res<Vec<Val>> {
        let mut items = Vec::new();
        if !self.is_punct(close) {
            items.push(self.value()?);
            while self.is_punct(",") {
                self.bump();
                items.push(self.value()?);
            }
        }
        self.expect_punct(close, &format!("`{close}` or `,`"))?;
        Ok(items)
    }
}

/// Parse a whole condition expression.
pub fn parse(s: &str) -> Result<Expr, ParseError> {
    if s.len() > MAX_LEN {
        return Err(ParseError {
            range: 0..0,
            message: format!("the expression is over {MAX_LEN} bytes long"),
        });
    }
    let toks = tokenize(s)?;
    if toks.is_empty() {
        return Err(ParseError {
            range: 0..s.len(),
            message: "the expression is empty".into(),
        });
    }
    let mut p = Parser {
        toks,
        pos: 0,
        end: s.len(),
        depth: 0,
    };
    let expr = p.or()?;
    if p.peek().is_some() {
        return Err(p.unexpected("`&&`, `||` or the end of the expression"));
    }
    Ok(expr)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Expr {
        parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
    }

    fn err(s: &str) -> ParseError {
        match parse(s) {
            Ok(e) => panic!("{s} parsed as {e:?}"),
            Err(e) => e,
        }
    }

    fn one(s: &str) -> Comparison {
        match ok(s) {
            Expr::Test(c) => c,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn simple_comparisons_keep_ranges() {
        let s = "device.os == 'ios'";
        let c = one(s);
        assert_eq!(c.element.path, "device.os");
        assert_eq!(&s[c.element.range.clone()], "device.os");
        assert_eq!(c.op, Op::Eq);
        assert_eq!(&s[c.op_range.clone()], "==");
        assert_eq!(c.values, vec![Val::Str("ios".into(), 13..18)]);
        assert_eq!(&s[c.range.clone()], s);
    }

    #[test]
    fn every_comparison_operator() {
        for (text, op) in [
            ("!=", Op::Ne),
            ("<", Op::Lt),
            ("<=", Op::Le),
            (">", Op::Gt),
            (">=", Op::Ge),
        ] {
            assert_eq!(one(&format!("app.userProperty['age'] {text} 18")).op, op);
        }
        let c = one("device.country in ['us', 'ca']");
        assert_eq!(c.op, Op::In);
        let values: Vec<&Val> = c.values.iter().flat_map(Val::scalars).collect();
        assert_eq!(values.len(), 2);
    }

    #[test]
    fn indexed_elements_and_methods() {
        let s = "app.userProperty['pregnancy_stage'].exactlyMatches(['second', 'third'])";
        let c = one(s);
        assert_eq!(c.element.path, "app.userProperty");
        let (key, r) = c.element.key.clone().unwrap_or_default();
        assert_eq!(key, "pregnancy_stage");
        assert_eq!(&s[r], "'pregnancy_stage'");
        assert_eq!(c.op, Op::Method("exactlyMatches".into()));
        assert_eq!(&s[c.op_range.clone()], ".exactlyMatches");
        assert_eq!(
            one("app.customSignal['tier'].contains(['gold'])").op,
            Op::Method("contains".into())
        );
        let a = one("app.audiences.inAtLeastOne(['Likely churners', 'Buyers'])");
        assert_eq!(a.element.path, "app.audiences");
        assert_eq!(a.op, Op::Method("inAtLeastOne".into()));
    }

    #[test]
    fn percent_date_time_and_timestamps() {
        let c = one("percent('seed') between 10 and 20");
        assert_eq!(c.element.path, "percent");
        assert_eq!(c.element.seed.map(|s| s.0), Some("seed".to_string()));
        assert_eq!(c.op, Op::Between);
        assert_eq!(one("percent <= 25").op, Op::Le);
        let d = one("device.dateTime >= dateTime('2024-03-22T13:39:44', 'America/Los_Angeles')");
        assert!(
            matches!(&d.values[0], Val::Call(n, args, _) if n == "dateTime" && args.len() == 2)
        );
        let t = one("app.firstOpenTimestamp <= ('2022-10-31T14:37:47', 'UTC')");
        assert!(matches!(&t.values[0], Val::List(args, _) if args.len() == 2));
    }

    #[test]
    fn boolean_structure() {
        let e = ok(
            "device.os == 'ios' && (device.country in ['us'] || !app.userProperty['vip'] == 'yes')",
        );
        let Expr::And(parts) = &e else {
            panic!("{e:?}")
        };
        assert_eq!(parts.len(), 2);
        assert!(matches!(&parts[1], Expr::Or(alts) if matches!(alts[1], Expr::Not(_))));
        assert_eq!(e.comparisons().len(), 3);
        assert_eq!(ok("true"), Expr::Bool(true, 0..4));
        assert!(matches!(ok("true && false"), Expr::And(_)));
    }

    #[test]
    fn malformed_expressions_say_where() {
        let e = err("device.country in ['us'");
        assert!(e.message.contains("`]` or `,`"), "{e:?}");
        let e = err("device.os = 'ios'");
        assert_eq!(e.range, 10..11);
        assert!(
            e.message.starts_with("unexpected character `=`") || e.message.contains("operator"),
            "{e:?}"
        );
        let e = err("device.os == 'ios");
        assert_eq!(e.message, "this string is never closed");
        assert_eq!(e.range, 13..17);
        let e = err("(device.os == 'ios'");
        assert!(e.message.contains("never closed"), "{e:?}");
        let e = err("device.os == 'ios' device.country == 'us'");
        assert_eq!(e.range, 19..25);
        let e = err("device.country");
        assert!(
            e.message.contains("operator after `device.country`"),
            "{e:?}"
        );
        assert_eq!(err("").message, "the expression is empty");
        let e = err("percent between 1 or 2");
        assert!(e.message.contains("`and`"), "{e:?}");
        let e = err("app.userProperty[plan] == 'x'");
        assert!(e.message.contains("quoted name"), "{e:?}");
    }

    #[test]
    fn deep_nesting_is_refused_quickly() {
        let deep = "(".repeat(10_000) + "true" + &")".repeat(10_000);
        assert!(err(&deep).message.contains("nests deeper"));
        let bangs = "!".repeat(10_000) + "true";
        assert!(err(&bangs).message.contains("nests deeper"));
    }
}
