# nixlite's `lib`: the generic helpers of nixpkgs' lib (2020 semantics),
# written for nixlite over Nix 2.8 builtins.  `prim` is the Python half
# (mkIf, mkOption, types, ...; see nixlite/modules/lib.py); both halves are
# merged into one set, also exposed under the usual sub-namespaces.
prim:
let
  b = builtins;

  helpers = rec {
    inherit (b) head tail length elemAt elem filter map concatLists genList foldl'
      attrNames attrValues hasAttr getAttr listToAttrs mapAttrs removeAttrs isAttrs
      isList isString isInt isBool isFunction isFloat stringLength substring
      replaceStrings toString typeOf concatMap any all sort partition zipAttrsWith
      catAttrs intersectAttrs functionArgs match split toJSON fromJSON trace seq
      deepSeq tryEval throw abort add sub mul div lessThan concatStringsSep
      compareVersions splitVersion unsafeDiscardStringContext baseNameOf dirOf
      pathExists readFile hashString toFile isPath;

    # trivial
    id = x: x;
    const = x: _: x;
    flip = f: a: c: f c a;
    fix = f: let x = f x; in x;
    pipe = val: fns: b.foldl' (x: f: f x) val fns;
    and = x: y: x && y;
    or = x: y: x || y;
    min = x: y: if x < y then x else y;
    max = x: y: if x > y then x else y;
    mod = base: int: base - (int * (b.div base int));
    boolToString = v: if v then "true" else "false";
    warn = msg: b.trace "warning: ${msg}";
    version = "20.09pre-git";
    release = "20.09";
    versionSuffix = "pre-git";
    nixpkgsVersion = version;

    # conditionals
    optional = cond: x: if cond then [ x ] else [ ];
    optionals = cond: xs: if cond then xs else [ ];
    optionalString = cond: s: if cond then s else "";
    optionalAttrs = cond: set: if cond then set else { };

    # lists
    toList = x: if b.isList x then x else [ x ];
    foldr = op: nul: list:
      let
        n = b.length list;
        go = i: if i == n then nul else op (b.elemAt list i) (go (i + 1));
      in go 0;
    fold = foldr;
    foldl = op: nul: list:
      let go = i: if i < 0 then nul else op (go (i - 1)) (b.elemAt list i);
      in go (b.length list - 1);
    flatten = x: if b.isList x then b.concatMap flatten x else [ x ];
    unique = b.foldl' (acc: x: if b.elem x acc then acc else acc ++ [ x ]) [ ];
    range = first: last:
      if first > last then [ ] else b.genList (n: first + n) (last - first + 1);
    imap0 = f: list: b.genList (n: f n (b.elemAt list n)) (b.length list);
    imap1 = f: list: b.genList (n: f (n + 1) (b.elemAt list n)) (b.length list);
    last = list: b.elemAt list (b.length list - 1);
    init = list: b.genList (b.elemAt list) (b.length list - 1);
    sublist = start: count: list:
      let n = b.length list;
      in b.genList (i: b.elemAt list (i + start))
        (if start >= n then 0 else if start + count > n then n - start else count);
    take = count: sublist 0 count;
    drop = count: list: sublist count (b.length list) list;
    count = pred: b.foldl' (c: x: if pred x then c + 1 else c) 0;
    findFirst = pred: default: list:
      let found = b.filter pred list; in if found == [ ] then default else b.head found;
    reverseList = xs:
      let n = b.length xs; in b.genList (i: b.elemAt xs (n - i - 1)) n;
    subtractLists = e: b.filter (x: !(b.elem x e));
    intersectLists = e: b.filter (x: b.elem x e);
    zipListsWith = f: xs: ys:
      b.genList (i: f (b.elemAt xs i) (b.elemAt ys i)) (min (b.length xs) (b.length ys));
    zipLists = zipListsWith (fst: snd: { inherit fst snd; });
    intersperse = sep: list:
      if b.length list < 2 then list else b.tail (b.concatMap (x: [ sep x ]) list);
    remove = e: b.filter (x: x != e);
    singleton = x: [ x ];
    forEach = xs: f: b.map f xs;

    # attribute sets
    nameValuePair = name: value: { inherit name value; };
    mapAttrs' = f: set: b.listToAttrs (b.map (n: f n set.${n}) (b.attrNames set));
    mapAttrsToList = f: set: b.map (n: f n set.${n}) (b.attrNames set);
    mapAttrsFlatten = mapAttrsToList;
    mapAttrsRecursive = f: set:
      let
        go = path: s: b.mapAttrs (n: v:
          if b.isAttrs v then go (path ++ [ n ]) v else f (path ++ [ n ]) v) s;
      in go [ ] set;
    filterAttrs = pred: set:
      b.listToAttrs (b.concatMap (n:
        let v = set.${n}; in if pred n v then [ (nameValuePair n v) ] else [ ])
        (b.attrNames set));
    genAttrs = names: f: b.listToAttrs (b.map (n: nameValuePair n (f n)) names);
    attrVals = names: set: b.map (n: set.${n}) names;
    attrByPath = path: default: set:
      if path == [ ] then set
      else
        let n = b.head path;
        in if b.isAttrs set && set ? ${n} then attrByPath (b.tail path) default set.${n} else default;
    hasAttrByPath = path: set:
      if path == [ ] then true
      else
        let n = b.head path;
        in b.isAttrs set && set ? ${n} && hasAttrByPath (b.tail path) set.${n};
    getAttrFromPath = path: set:
      attrByPath path (b.throw "cannot find attribute `${b.concatStringsSep "." path}'") set;
    setAttrByPath = path: value:
      if path == [ ] then value
      else { ${b.head path} = setAttrByPath (b.tail path) value; };
    recursiveUpdateUntil = pred: lhs: rhs:
      let
        go = path: sets: b.zipAttrsWith (n: values:
          let here = path ++ [ n ]; in
          if b.tail values == [ ] || pred here (b.elemAt values 1) (b.head values)
          then b.head values
          else go here values) sets;
      in go [ ] [ rhs lhs ];
    recursiveUpdate = recursiveUpdateUntil (path: l: r: !(b.isAttrs l && b.isAttrs r));
    zipAttrs = b.zipAttrsWith (n: vs: vs);
    collect = pred: v:
      if pred v then [ v ]
      else if b.isAttrs v then b.concatMap (collect pred) (b.attrValues v)
      else [ ];
    isDerivation = x: b.isAttrs x && x ? type && x.type == "derivation";
    isStorePath = x:
      let s = b.toString x; in b.substring 0 11 s == "/nix/store/" && b.match "/nix/store/[^/]+" s != null;
    getOutput = output: pkg: pkg.${output} or pkg;
    getBin = getOutput "bin";
    getLib = getOutput "lib";

    # strings
    concatStrings = b.concatStringsSep "";
    concatMapStrings = f: list: concatStrings (b.map f list);
    concatMapStringsSep = sep: f: list: b.concatStringsSep sep (b.map f list);
    concatImapStrings = f: list: concatStrings (imap1 f list);
    concatImapStringsSep = sep: f: list: b.concatStringsSep sep (imap1 f list);
    stringToCharacters = s: b.genList (i: b.substring i 1 s) (b.stringLength s);
    escape = chars: b.replaceStrings chars (b.map (c: "\\${c}") chars);
    escapeRegex = escape (stringToCharacters "\\[{()^$?*+|.");
    escapeNixString = s: escape [ "$" ] (b.toJSON s);
    splitString = sep: s: b.filter b.isString (b.split (escapeRegex sep) s);
    hasPrefix = pre: s: b.substring 0 (b.stringLength pre) s == pre;
    hasSuffix = suf: s:
      let n = b.stringLength s; m = b.stringLength suf;
      in n >= m && b.substring (n - m) m s == suf;
    hasInfix = infix: s: b.match ".*${escapeRegex infix}.*" s != null;
    removePrefix = pre: s:
      let n = b.stringLength pre;
      in if hasPrefix pre s then b.substring n (b.stringLength s - n) s else s;
    removeSuffix = suf: s:
      let n = b.stringLength s; m = b.stringLength suf;
      in if hasSuffix suf s then b.substring 0 (n - m) s else s;
    lowerChars = stringToCharacters "abcdefghijklmnopqrstuvwxyz";
    upperChars = stringToCharacters "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    toUpper = b.replaceStrings lowerChars upperChars;
    toLower = b.replaceStrings upperChars lowerChars;
    escapeShellArg = arg: "'${b.replaceStrings [ "'" ] [ "'\\''" ] (b.toString arg)}'";
    escapeShellArgs = concatMapStringsSep " " escapeShellArg;
    makeSearchPath = subDir: paths:
      b.concatStringsSep ":" (b.map (p: "${p}/${subDir}") (b.filter (x: x != null) paths));
    makeSearchPathOutput = output: subDir: pkgs: makeSearchPath subDir (b.map (getOutput output) pkgs);
    makeBinPath = makeSearchPathOutput "bin" "bin";
    makeLibraryPath = makeSearchPathOutput "lib" "lib";
    toInt = s:
      let n = b.fromJSON s;
      in if b.match "[[:space:]]*-?[0-9]+[[:space:]]*" s != null && b.isInt n then n
         else b.throw "Could not convert ${s} to int.";
    versionOlder = v1: v2: b.compareVersions v2 v1 == 1;
    versionAtLeast = v1: v2: !(versionOlder v1 v2);
    fixedWidthString = width: filler: s:
      let n = b.stringLength s;
      in if n >= width then s else fixedWidthString width filler (filler + s);
    fixedWidthNumber = width: n: fixedWidthString width "0" (b.toString n);
    enableFeature = on: feat: "--${if on then "enable" else "disable"}-${feat}";
  };

  lib = prim // helpers // {
    mkDefault = prim.mkOverride 1000;
    mkForce = prim.mkOverride 50;
    mkOptionDefault = prim.mkOverride 1500;
    mkVMOverride = prim.mkOverride 10;
    mkBefore = prim.mkOrder 500;
    mkAfter = prim.mkOrder 1500;
    mkFixStrictness = x: x;
    lists = lib; strings = lib; attrsets = lib; trivial = lib;
    options = lib; modules = lib; versions = lib; debug = lib;
  };
in lib
