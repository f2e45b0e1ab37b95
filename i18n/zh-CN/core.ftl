# convscope 的简体中文目录（Project Fluent 语法，https://projectfluent.org）。
# 每条消息都必须与 en/ 下的英文目录一一对应；缺少任何一条，`cargo test` 都会失败。

## 目录机制的测试

test-steps = { $n } 步

## 通用

list-sep = {"，"}
clause-sep = {"；"}
plus-sep = {" + "}

## 网格：标题与标题下的文字

grid-input = 输入 { $sym }
grid-output = 输出 { $sym }
grid-weight = 权重 { $sym }
grid-bias = 偏置 { $sym }
grid-shape = 形状 { $shape }
caption-padded = { $base }（填充 { $p }）
caption-padded-axes = { $base }（填充 { $rows }×{ $cols }）
caption-padded-sides = { $base }（填充：上 { $top }、下 { $bottom }、左 { $left }、右 { $right }）

## 图例

legend-negative = 负值
legend-positive = 正值
legend-padding = 填充（零）
legend-inserted-zero = 插入的零
legend-hole = 空洞（无路径）
legend-not-written = 尚未写入
legend-read = 读取
legend-written = 写入

## 步骤说明（scene/describe.rs）：逐项写出一步的运算

step-before = { $n ->
    [one] 尚未开始，共 1 步。按 → 键或点击“播放”开始。
   *[other] 尚未开始，共 { $n } 步。按 → 键或点击“播放”开始。
}
step-line = 第 { $i } 步（共 { $n } 步），{ $stage }：{ $text }
step-nothing = 此步无需计算
kernel-bilinear = 双线性
kernel-bicubic = 双三次
step-sample = { $target } = { $sum } = { $value }，即 { $grid } 在行 { $row }、列 { $col } 处的{ $kernel }采样值
step-sample-outside = 0（位于特征图之外）
step-more-terms = …（共 { $n } 项）
step-max = { $target } = max({ $values }) = { $value }
step-mean = { $target } = ({ $terms }) / { $divisor } = { $value }{ $notes }
step-copy = { $target } = { $source } = { $value }{ $notes }
step-set = { $target } { $op } { $value }{ $notes }
step-sum = { $target } { $op } { $terms } = { $value }{ $notes }
step-parallel-part = { $target } = { $value }{ $notes }
term-bias = { $value }（偏置）
tap-notes = （{ $notes }）
taps-read-padding = { $n } 个抽头中有 { $k } 个读到填充
taps-read-inserted = { $n } 个抽头中有 { $k } 个读到插入的零
stamp-nothing = { $source } = { $value } 没有叠加到任何输出单元格：它的乘积全部落在输出之外（被填充裁掉）
stamp = { $source } = { $value } 叠加到 { $n } 个输出单元格：{ $parts }
fill = 写入 { $grid } 的 { $n } 个单元格：{ $parts }
fill-copied = { $n } 个复制自 { $from }
fill-channel = 通道 { $channel }
fill-inserted = { $n } 个为插入的零
fill-padding = { $n } 个为填充的零
fill-holes = { $n } 个为没有路径到达的空洞
fill-bias = { $n } 个设为各自的偏置
fill-computed-equal = { $n } 个一次性算出，均为 { $value }
fill-computed-range = { $n } 个一次性算出，取值在 { $lo } 到 { $hi } 之间

## 各算子共用的标题

pool-caption-max-padding = { $base }，最大池化忽略填充
aspp-caption-input = 输入 x（填充 { $reach }）

## 控件：取值有什么问题

param-not-whole = { $label }必须是整数，不能是“{ $raw }”
param-out-of-range = { $label }必须在 { $min } 到 { $max } 之间，不能是 { $value }
param-not-option = { $label }必须是 { $options } 之一，不能是“{ $raw }”
param-not-pair = { $words ->
    [none] { $label }必须是一个整数，或“行,列”形式的两个整数（如 2,1），不能是“{ $raw }”
   *[other] { $label }必须是一个整数、“行,列”形式的两个整数（如 2,1）或 { $words } 之一，不能是“{ $raw }”
}
param-using-default = { $problem }；已改用默认值
param-unknown = 未知参数“{ $name }”

## 页面地址（URL）中无法使用的部分

url-too-long = URL 超过 { $n } 个字符，超出部分已忽略
url-unknown-op = 未知算子“{ $name }”，改为显示 { $shown }
url-bad-flag = { $key } 必须是 1 或 0，不能是“{ $raw }”；{ $fallback }
url-flag-embed = 显示完整页面
url-flag-caption = 显示说明行
url-flag-playback = 显示播放栏
url-replaced-by-preset = { $name } 已被预设值覆盖；如要保留自己的值，请加上 preset=custom
url-edit-no-cell = 已忽略对单元格 { $cell } 的编辑：{ $tensor }中没有这个单元格
url-no-valid-output = URL 中的设置无法得到有效输出（{ $problem }），改为显示默认设置
url-bad-step = step 必须是 0 到 { $n } 之间的整数，不能是“{ $raw }”；改为从第 0 步开始
url-too-many-edits = 编辑过的单元格超过 { $n } 个，超出部分已忽略
url-bad-edit = 已忽略单元格编辑“{ $raw }”
url-bad-lang = lang 必须是 en 或 zh-CN，不能是“{ $raw }”；改用浏览器的语言
url-lang-not-loaded = 无法加载{ $lang }的文字；页面使用英文
tensor-input = 输入
tensor-weight = 权重
tensor-offset = 偏移张量

## 导出与嵌入时的一行说明

caption-defaults = { $title }（默认设置）
caption-changed = { $title } · { $changes }
caption-edited = 已编辑 { $n } 个单元格
code-unavailable = “复制为 PyTorch”暂不支持{ $title }（已支持：各种卷积、池化、interpolate、像素重排与 depth_to_space、双线性加性上采样、deform_conv2d、可变形 RoI 池化、RoIAlign 与 RoI 池化、解码器与可分离模块、缩放卷积、ASPP、移位拼接、感受野、卷积往返和 FCN 跳跃连接）
op-unknown = 未知算子“{ $name }”
param-not-number-control = “{ $name }”不是数值控件

## 编辑单元格与拖动手柄

edit-not-editable = 只能编辑输入和卷积核的单元格
edit-not-a-number = “{ $raw }”不是数字
edit-out-of-range = 单元格的值必须是 −{ $max } 到 { $max } 之间的有限数
edit-too-many = 最多只能编辑 { $n } 个值；如需重新开始，请先重置编辑
drag-off-picture = 指针不在图上

## print(model)

model-error = 第 { $line } 行：{ $problem }

## 悬停在单元格上（session/hover.rs）

and-sep = {"、"}
hover-kind-padding = （填充）
hover-kind-inserted = （插入的零）
hover-kind-hole = （空洞：没有路径到达）
hover-count = { $grid } 的 { $n } 个单元格
hover-list = { $counts }：{ $cells }
hover-nothing = 特征图外的采样（0）
hover-product = 与 { $data } 相乘，计入 { $target }
hover-multiplies = 第 { $step } 步中，它{ $products }（已高亮）
hover-computed-from = 计算用到 { $list }
hover-feeds = 用于计算 { $list }
hover-feeds-over-all = 在所有步骤中，它用于计算 { $list }
hover-unused = { $name } = { $value }{ $kind }；此算子没有用到它
hover-written-whole = { $name } = { $value }{ $kind }；在第 { $step } 步写入，不由图中的单元格算出
hover = { $name } = { $value }{ $kind }；{ $parts }

## 事实中的计数（counts.rs）

products = { $n }
products-padding = { $n }（另有 { $p } 次读到填充的零）
products-inserted = { $n }（另有 { $i } 次读到插入的零）
products-zeros = { $n }（另有 { $zeros } 次读到零：填充 { $p } 次，插入 { $i } 次）
legend-asked = 所问单元
legend-chosen = 你的选择
legend-missed = 漏选
legend-extra = 选错
