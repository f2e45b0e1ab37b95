# convscope's English catalogue (Project Fluent syntax, https://projectfluent.org).
# Every message here must also be in zh-CN.ftl; `cargo test` fails otherwise.
# Variables: numbers are counts (plural forms choose by them); other values are written as given.

## Tests of the catalogue machinery

test-steps = { $n ->
    [one] { $n } step
   *[other] { $n } steps
}

## Shared words

list-sep = {", "}
clause-sep = {"; "}
plus-sep = {" + "}

## Grids: captions and the words under them

grid-input = input { $sym }
grid-output = output { $sym }
grid-weight = weight { $sym }
grid-bias = bias { $sym }
grid-shape = shape { $shape }
caption-padded = { $base } (padding { $p })
caption-padded-axes = { $base } (padding { $rows }×{ $cols })
caption-padded-sides = { $base } (padding { $top } top, { $bottom } bottom, { $left } left, { $right } right)

## The legend

legend-negative = negative
legend-positive = positive
legend-padding = padding (zero)
legend-inserted-zero = inserted zero
legend-hole = hole (no path)
legend-not-written = not yet written
legend-read = read
legend-written = written

## Step sentences (scene/describe.rs): they spell out a step's arithmetic

step-before = { $n ->
    [one] Before the only step. Press → or Play to start.
   *[other] Before the first of { $n } steps. Press → or Play to start.
}
step-line = Step { $i } of { $n }, { $stage }: { $text }
step-nothing = nothing to do here
kernel-bilinear = bilinear
kernel-bicubic = bicubic
step-sample = { $target } = { $sum } = { $value }, the { $kernel } sample of { $grid } at row { $row }, column { $col }
step-sample-outside = 0 (outside the map)
step-more-terms = … ({ $n } terms)
step-max = { $target } = max({ $values }) = { $value }
step-mean = { $target } = ({ $terms }) / { $divisor } = { $value }{ $notes }
step-copy = { $target } = { $source } = { $value }{ $notes }
step-set = { $target } { $op } { $value }{ $notes }
step-sum = { $target } { $op } { $terms } = { $value }{ $notes }
step-parallel-part = { $target } = { $value }{ $notes }
term-bias = { $value } (bias)
tap-notes = {" "}({ $notes })
taps-read-padding = { $k } of { $n } taps read padding
taps-read-inserted = { $k } of { $n } taps read inserted zeros
stamp-nothing = { $source } = { $value } stamps nothing: all its products fall outside the output (cropped by padding)
stamp = { $source } = { $value } is stamped onto { $n ->
    [one] { $n } output cell
   *[other] { $n } output cells
}: { $parts }
fill = { $n } cells of { $grid } written: { $parts }
fill-copied = { $n } copied from { $from }
fill-channel = channel { $channel }
fill-inserted = { $n } inserted zeros
fill-padding = { $n } padding zeros
fill-holes = { $n } holes that no path reaches
fill-bias = { $n } set to their bias
fill-computed-equal = { $n } computed at once, all equal to { $value }
fill-computed-range = { $n } computed at once, from { $lo } to { $hi }

## Operators' shared captions

pool-caption-max-padding = { $base }, padding ignored by max
aspp-caption-input = input x (padded by { $reach })

## Controls: what is wrong with a value

param-not-whole = { $label } must be a whole number, not “{ $raw }”
param-out-of-range = { $label } must be between { $min } and { $max }, not { $value }
param-not-option = { $label } must be one of { $options }, not “{ $raw }”
param-not-pair = { $words ->
    [none] { $label } must be a whole number, or two (rows,columns) like 2,1; not “{ $raw }”
   *[other] { $label } must be a whole number, or two (rows,columns) like 2,1, or one of { $words }; not “{ $raw }”
}
param-using-default = { $problem }; using the default
param-unknown = unknown parameter “{ $name }”

## The page's address (URL): what could not be used

url-too-long = the URL is longer than { $n } characters; the rest was ignored
url-unknown-op = unknown operator “{ $name }”; showing { $shown }
url-bad-flag = { $key } must be 1 or 0, not “{ $raw }”; { $fallback }
url-flag-embed = showing the full page
url-flag-caption = showing the caption
url-flag-playback = showing the playback bar
url-replaced-by-preset = { $name } was replaced by the preset's value; add preset=custom to keep your own
url-edit-no-cell = ignored the edited cell { $cell }: the { $tensor } has no such cell
url-no-valid-output = the URL's settings have no valid output ({ $problem }); showing the defaults
url-bad-step = step must be a whole number from 0 to { $n }, not “{ $raw }”; starting at 0
url-too-many-edits = more than { $n } edited cells; the rest were ignored
url-bad-edit = ignored the edited cell “{ $raw }”
url-bad-lang = lang must be en or zh-CN, not “{ $raw }”; using the browser's language
url-lang-not-loaded = the { $lang } words could not be loaded; the page is in English
tensor-input = input
tensor-weight = weight
tensor-offset = offset tensor

## The one-line caption of exports and embeds

caption-defaults = { $title } (defaults)
caption-changed = { $title } · { $changes }
caption-edited = { $n ->
    [one] { $n } edited cell
   *[other] { $n } edited cells
}
code-unavailable = Copy as PyTorch is not available for { $title } yet (it is for the convs, pools, interpolate, pixel shuffles and depth_to_space, bilinear additive upsampling, deform_conv2d, deformable RoI pooling, RoIAlign and RoI pooling, the decoder and separable blocks, resize-conv, ASPP, shift-and-stitch, the receptive field, the conv round trip and FCN skips)
op-unknown = unknown operator “{ $name }”
param-not-number-control = “{ $name }” is not a number control

## Editing cells and dragging handles

edit-not-editable = only input and kernel cells can be edited
edit-not-a-number = “{ $raw }” is not a number
edit-out-of-range = cell values must be finite numbers between −{ $max } and { $max }
edit-too-many = at most { $n } values can be edited; reset the edits to start again
drag-off-picture = the pointer is not over the picture

## print(model)

model-error = line { $line }: { $problem }

## Hovering a cell (session/hover.rs)

and-sep = {" and "}
hover-kind-padding = {" "}(padding)
hover-kind-inserted = {" "}(inserted zero)
hover-kind-hole = {" "}(hole: no path reaches it)
hover-count = { $n } of { $grid }
hover-list = { $counts }: { $cells }
hover-nothing = nothing
hover-product = { $data } into { $target }
hover-multiplies = at step { $step } it multiplies { $products } (highlighted)
hover-computed-from = computed from { $list }
hover-feeds = feeds { $list }
hover-feeds-over-all = over all steps it feeds { $list }
hover-unused = { $name } = { $value }{ $kind }; not used by this operator
hover-written-whole = { $name } = { $value }{ $kind }; written at step { $step }, computed from no cell on this picture
hover = { $name } = { $value }{ $kind }; { $parts }

## Counts the facts state (counts.rs)

products = { $n }
products-padding = { $n } (plus { $p } that read padding zeros)
products-inserted = { $n } (plus { $i } that read inserted zeros)
products-zeros = { $n } (plus { $zeros } that read zeros: { $p } padding, { $i } inserted)
legend-asked = asked about
legend-chosen = your choice
legend-missed = missed
legend-extra = wrong choice
