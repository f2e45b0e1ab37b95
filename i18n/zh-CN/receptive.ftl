# receptive_field（src/ops/receptive_field.rs）与层堆叠分析（src/analysis/）。

## 算子与控件

receptive-title = 感受野、网格效应与 HDC（层堆叠）
receptive-summary = 一个输出像素经过一串卷积层和池化层能看到哪些输入像素、每个输入像素有多少条路径到达，以及膨胀率的安排是否留下空洞。
receptive-preset = 预设
    .help = 已发表网络的层堆叠；修改任意一层即切换为自定义。
receptive-preset-custom = 自定义（编辑各层）
receptive-preset-hdc-125 = HDC 模块：膨胀率 1、2、5（重复两次）
receptive-preset-hdc-123 = HDC 模块：膨胀率 1、2、3
receptive-preset-grid-222 = 网格效应：膨胀率 2、2、2
receptive-preset-grid-248 = 网格效应：膨胀率 2、4、8
receptive-preset-vgg16-fcn = FCN-32s/16s/8s 中的 VGG16
receptive-preset-deeplab-largefov = DeepLab-LargeFOV（VGG16，fc6 膨胀率 12）
receptive-preset-resnet101-aspp-l = DeepLab v2 ResNet-101 + ASPP-L 分支（膨胀率 24）
receptive-layers = 各层
    .help = 卷积层或池化层，各有卷积核大小、步长、填充和膨胀率，从输入端开始。
receptive-column-kernel = 卷积核
receptive-column-stride = 步长
receptive-column-padding = 填充
receptive-column-dilation = 膨胀率
receptive-input-size = 输入大小
    .help = 正方形输入的边长（像素）。
receptive-out-row = 输出行
    .help = 要画出其感受野的输出像素所在的行；−1 表示中心。
receptive-out-col = 输出列
    .help = 输出像素所在的列；−1 表示中心。
receptive-hdc-group = HDC 组
    .help = 最后多少层组成膨胀组，按 HDC 规则检查。

## 预设中值得注意的层

receptive-note-pool3 = pool3：FCN-8s 的跳跃连接
receptive-note-pool4 = pool4：FCN-16s 的跳跃连接
receptive-note-fc7 = fc7：FCN-32s 的得分
receptive-note-pool4-stride1 = 步长为 1 的 pool4
receptive-note-pool5-stride1 = 步长为 1 的 pool5
receptive-note-fc6-rate12 = fc6：3×3，膨胀率 12
receptive-note-max-pool = 最大池化
receptive-note-aspp-l = 膨胀率 24 的 ASPP-L 分支

## 公式与事实

receptive-formula-size = 感受野大小 r = Σ dₗ(kₗ − 1)·Sₗ₋₁ + 1 = { $size }
receptive-formula-stride = 等效步长 S = Π sₗ = { $stride }；等效填充 P = Σ pₗ·Sₗ₋₁ = { $padding }
receptive-formula-sees = 输出 x 看到输入 x·S − P … x·S − P + r − 1；其中心为 x·S + { $centre }
receptive-formula-compact = 各层的紧凑写法：{ $layers }
receptive-output-stride = 输出步长 { $stride } · { $input } 的输入得到 { $output } 的输出
receptive-counts-overflow = 图中有 { $cells } 个单元格的路径数超出 float32 的上限（大于 3.4 × 10³⁸），因此显示为 ∞，与 PyTorch 代码最后的 .float() 结果一致；真实的路径数都是有限的
receptive-coverage = 覆盖：感受野的 { $area } 个单元格中有 { $used } 个被路径到达——{ $holes ->
    [0] 没有空洞
   *[other] { $holes } 个空洞（网格效应）
}
receptive-layer-line = 第 { $layer } 层 { $kind ->
    [pool] 池化
   *[conv] 卷积
} { $numbers }：感受野 { $field } · 步长 { $stride } · 填充 { $padding } · 中心 { $centre } · 特征图 { $map }{ $note }
receptive-layer-note = {" "}← { $note }

## HDC 检查（analysis/hdc.rs）

receptive-hdc-not-a-group = HDC：最后几层不是卷积核大小相同、步长为 1 的一组卷积
receptive-hdc-too-large = HDC：组 { $rates } 太大，无法在此画出路径图
receptive-hdc-rule = 对膨胀率 { $rates } 应用 HDC 规则（Wang 等；K = { $k }）：M = { $m }；M₂ { $cmp } K；{ $factor } → 规则预测{ $pass ->
    [yes] 没有网格效应
   *[no] 有网格效应
}
receptive-hdc-factor = 各膨胀率有公因子 { $g }
receptive-hdc-no-factor = 没有公因子
receptive-hdc-map = 一个内部输出像素穿过这 { $n } 层的路径图：感受野上 { $field } 个单元格中有 { $holes } 个空洞 → { $grids ->
    [yes] 有网格效应
   *[no] 没有网格效应
}
receptive-hdc-holes-despite-rule = M₂ = { $m2 } ≤ K = { $k } 且没有公因子，路径图却有空洞：该规则假定组从膨胀率 1 开始（这里 r₁ = { $r1 }）
receptive-hdc-no-holes-despite-rule = M₂ = { $m2 } > K = { $k }，路径图却没有空洞：对从膨胀率 1 开始的组，该规则是充分条件而非必要条件——是否全覆盖只取决于组中有哪些膨胀率，与它们的顺序无关
receptive-hdc-suggest = 一个没有空洞的安排（已在其路径图上验证）：膨胀率 { $rates }（总和相同，因此感受野同为 { $field } 个单元格）
receptive-hdc-unavoidable = 感受野为 { $field } 个单元格时，任何 { $n } 个膨胀率的组都无法避免空洞：{ $n } 层、每层 { $k } 个抽头，最多只能到达 { $reach } 个单元格

## 路径图、它的步骤与图表

receptive-map-caption = n = 到输出 ({ $row }, { $col }) 的路径数{ $per_cell }
receptive-map-per-cell = ，每格 { $block }×{ $block } 个像素
receptive-stage = 路径计数
    .explain = 从输出像素出发、以全 1 卷积核反向穿过整个堆叠的每一条路径，都为它终止处的输入像素加一。
receptive-chart-title = n = 到达每个输入像素的路径数，沿路径图峰值所在的行和列{ $cells }
receptive-chart-block = （每格为 { $block }×{ $block } 个像素之和）
receptive-chart-x = 输入索引
receptive-chart-y = 路径数 n
receptive-chart-row = 第 { $row } 行的 n
receptive-chart-col = 第 { $col } 列的 n

## 层堆叠的问题（analysis/mod.rs、analysis/stack.rs）

receptive-layer-error = 第 { $layer } 层：{ $problem }
receptive-pick-outside = 输出为 { $size }，位置 { $position } 在其之外
receptive-stack-empty = 层堆叠中没有任何层
receptive-stack-too-long = 最多 { $max } 层，而不是 { $n } 层
receptive-pool-dilation = 池化层的膨胀率应为 1
receptive-layer-out-of-range = { $name } 必须在 { $min } 到 { $max } 之间，而不是 { $value }
receptive-exact-overflow = 感受野的{ $what ->
    [size] 大小
    [padding] 填充
   *[stride] 步长
}在此处超过 2⁶⁴，太大而无法精确给出
receptive-input-range = 输入边长必须在 1 到 { $max } 之间
receptive-kernel-does-not-fit = 它跨 { $span } 个单元格的膨胀卷积核放不进 { $n } 个单元格的输入（加上 2·{ $padding } 的填充）
receptive-field-overflow = 感受野的大小或步长在此处超过 10³⁰⁸，无法计算
receptive-position-outside = 输出位置 { $out } 在 { $last } 个单元格的输出之外
receptive-paths-overflow = 路径数在此处超过 10³⁰⁸，超出 64 位浮点数的范围
receptive-stack-text-too-long = 层堆叠文本超过 { $max } 个字符
receptive-stack-bad-repeat = “*{ $raw }”必须重复 1 到 { $max } 次
receptive-stack-bad-kind = “{ $raw }”必须以 c（卷积）或 p（池化）开头
receptive-stack-no-kernel = “{ $raw }”在类型字母之后需要卷积核大小
receptive-stack-no-number = “{ $raw }”中的“{ $key }”后面需要一个数
receptive-stack-unknown-field = “{ $raw }”中有未知字段“{ $key }”（可用 { $keys }）
receptive-stack-at-most = 最多 { $max } 层

## print(model) 中无法读取的内容（analysis/model.rs）

receptive-model-linear = Linear 层看到每一个输入像素：感受野在它之前就结束了
receptive-model-flatten = Flatten 把特征图变成向量：感受野在它之前就结束了
receptive-model-upsample = 上采样用插值改变特征图的分辨率，本感受野分析不对此建模
receptive-model-transposed = 转置卷积做上采样；本感受野分析只涵盖卷积和池化
receptive-model-adaptive = 自适应池化的窗口取决于输入大小：感受野在它之前就结束了
receptive-model-shuffle = 像素重排会重新排列位置，本分析不对此建模
receptive-model-too-long = 文本超过 { $max } 个字符
receptive-model-expected-child = 应为“(名称): 模块(…)”的形式
receptive-model-bad-count = 无法读取数量“{ $raw }”
receptive-model-unreadable = 无法读取“{ $raw }”
receptive-model-repeated-block = { $n } x { $module }：不读取重复的模块；请粘贴展开后的写法
receptive-model-custom-block = { $module } 是自定义模块，其前向计算不一定按顺序运行子模块（残差连接、并行分支）；请改为粘贴网络中的 Sequential 部分
receptive-model-not-closed = “{ $raw }”在本行没有闭合
receptive-model-module-problem = { $module }：{ $problem }
receptive-model-too-many = 超过 { $max } 层
receptive-model-unknown-module = 感受野无法穿过 { $module } 模块（只支持卷积、池化、激活、归一化和 Dropout）
receptive-model-no-module = 没有找到模块：请粘贴 print(model) 的输出
receptive-model-no-layers = 模型中没有 Conv2d、MaxPool2d 或 AvgPool2d
receptive-model-not-number = { $setting } 不是整数或整数对
receptive-model-not-square = { $setting } 的行、列两个值不同；此视图只支持正方形的层
receptive-model-entries = { $setting } 有 { $n } 个值，而不是 1 或 2 个
receptive-model-bad-argument = 无法读取参数“{ $raw }”
receptive-model-padding-word = 不支持 { $setting }；请给出数值
receptive-model-ceil-mode = ceil_mode=True 会改变特征图大小，而此视图按向下取整计算
receptive-model-bad-bool = { $setting } 既不是 True 也不是 False
receptive-model-unknown-argument = 未知参数“{ $name }”
receptive-model-no-kernel = 缺少 kernel_size
receptive-model-outside = { $setting } 超出 { $min }…{ $max } 的范围
receptive-model-pool-padding = { $padding } 超过 { $kernel } 的一半，PyTorch 的池化层不接受
receptive-model-pool-dilation = 此视图不支持池化层使用 { $setting }
receptive-hint-size = 感受野大小 r = Σ dₗ(kₗ − 1)·Sₗ₋₁ + 1 = { $terms } = ?（Sₗ₋₁ 是第 l 层之前各层步幅的乘积）
receptive-hint-stride = 等效步幅 S = Π sₗ = { $strides } = ?
receptive-hint-holes = 沿各层回溯一个输出像素的所有路径：膨胀率为 d 的层读取相隔 d 的单元（膨胀率 { $rates }）。其感受野内的每个单元都能被某条路径到达吗？
